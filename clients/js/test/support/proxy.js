// A TCP proxy between a client and the server, to break the connection in the ways a network
// does: drop every connection at once, stop forwarding (a silent dead peer), stop reading from
// the server (a client that no longer reads), and resume.
import net from 'node:net';

export async function startProxy(upstreamPort) {
  const pairs = new Set();
  let mode = 'forward';
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    const forward = (from, to) =>
      from.on('data', (chunk) => {
        if (mode === 'blackhole') return; // swallowed: the peer never hears of it
        to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    if (mode !== 'forward') upstream.pause();
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    port,
    url: (path = '/threads') => `ws://127.0.0.1:${port}${path}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    /** Destroys every connection on both sides, as a network failure does; returns how many. */
    dropAll() {
      const all = [...pairs];
      pairs.clear(); // now, not on the close events: a second call in the same tick finds none
      for (const { client, upstream } of all) {
        client.destroy();
        upstream.destroy();
      }
      return all.length;
    },
    /** Stops reading what the server sends: its writes back up, as for a client that stopped reading. */
    stopReadingServer() {
      mode = 'paused';
      for (const { upstream } of pairs) upstream.pause();
    },
    /** Keeps the TCP connections open but forwards nothing either way, silently. */
    blackhole() {
      mode = 'blackhole';
    },
    resume() {
      mode = 'forward';
      for (const { upstream } of pairs) upstream.resume();
    },
    close() {
      this.dropAll();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
