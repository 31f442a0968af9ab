// A connection that goes silent (the network forwards nothing, no FIN, no RST) is detected by the
// application ping's timeout, abandoned and replaced; the thread recovers what was sent meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ThreadwireClient } from '../src/threadwire-client.js';
import { startServer } from './support/server.js';
import { startProxy } from './support/proxy.js';
import { collector, eventually, nextState, range } from './support/util.js';

let server;
let proxy;
before(async () => {
  server = await startServer();
  proxy = await startProxy(server.port);
});
after(async () => {
  await proxy.close();
  await server.stop();
});

test('a silent dead connection is detected by the ping timeout and replaced', async (t) => {
  const c = new ThreadwireClient({
    url: proxy.url(),
    WebSocket,
    ping: { interval: 200, timeout: 500 },
    reconnect: { initialDelay: 20, maxDelay: 100 },
  });
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('l-1', got.handlers, { from: 'start' });
  c.connect();
  await sub.ready;
  await server.send('l-1', 1);
  await eventually(() => got.messages.length === 1);
  const firstConnection = c.connectionId;

  const dead = nextState(c, 'disconnected');
  // Heal the network the moment the client gives up, so the replacement gets through.
  c.on('state', (e) => e.cause === 'ping_timeout' && proxy.resume());
  proxy.blackhole();
  // Written into the void while TCP still looks open (DELIVERED), or kept for replay (QUEUED) if
  // the client has already given up on the connection: either way it must be recovered.
  const outcomes = await server.send('l-1', 2);
  assert.ok(outcomes.every((o) => o.status === 'DELIVERED' || o.status === 'QUEUED'));
  const gone = await dead;
  assert.equal(gone.cause, 'ping_timeout');
  assert.equal(gone.reconnect, true);
  assert.match(gone.reason, /no pong within 500 ms/);

  await eventually(() => c.state === 'connected' && got.messages.length === 3);
  assert.notEqual(c.connectionId, firstConnection);
  assert.deepEqual(got.offsets(), range(1, 3));
  assert.equal(got.joined.at(-1).recovered, true);
  assert.deepEqual(got.messages.map((m) => m.replayed), [false, true, true]);
});
