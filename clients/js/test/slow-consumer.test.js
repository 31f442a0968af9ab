// A client that stops reading is cut off by the server with 1013 (slow consumer: its write timed
// out), reconnects, and recovers what it missed from history.
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
  server = await startServer({
    'threadwire.tyrus.outbound.write-timeout': '500ms',
    // Long enough for the test to resume reading and take the close frame.
    'threadwire.tyrus.close-grace': '20s',
    'threadwire.hub.history.max-messages': '5000',
    'threadwire.hub.history.max-bytes': '128MiB',
  });
  proxy = await startProxy(server.port);
});
after(async () => {
  await proxy.close();
  await server.stop();
});

test('stops reading, is cut off with 1013, reconnects and recovers from history', async (t) => {
  const c = new ThreadwireClient({
    url: proxy.url(),
    WebSocket,
    reconnect: { initialDelay: 20, maxDelay: 200 },
    ping: false,
  });
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('s-1', got.handlers, { from: 'start' });
  c.connect();
  await sub.ready;

  proxy.stopReadingServer();
  const cut = nextState(c, 'disconnected', { timeout: 60000 });
  let sent = 0;
  // Once the client's queue is full its write is cut: the outcome counts it failed (queued, never
  // written) or unconfirmed (the batch in flight at the cut, or a write still pending at the
  // outcome deadline), never delivered.
  let notDelivered = false;
  while (!notDelivered && sent < 20000) {
    const outcomes = await server.send('s-1', 20, { size: 8192 });
    sent += outcomes.length;
    notDelivered = outcomes.some((o) => o.failed > 0 || o.unconfirmed > 0);
  }
  assert.ok(notDelivered, 'the server counted the client failed or unconfirmed');
  await eventually(async () => (await server.connections('s-1')) === 0);
  // Sent while the client is cut off: only history can give it these.
  const meanwhile = await server.send('s-1', 5, { size: 8192 });
  assert.deepEqual(meanwhile.map((o) => o.status), Array(5).fill('QUEUED'));
  sent += 5;
  proxy.resume();
  const closed = await cut;
  assert.equal(closed.code, 1013, `closed with ${closed.code} ${closed.reason}`);
  assert.match(closed.reason, /slow consumer/);
  assert.equal(closed.reconnect, true);

  await eventually(() => got.joined.length === 2 && got.messages.length === sent, { timeout: 30000 });
  assert.deepEqual(got.offsets(), range(1, sent));
  const rejoin = got.joined.at(-1);
  assert.equal(rejoin.rejoin, true);
  assert.equal(rejoin.recovered, true);
  assert.ok(rejoin.replayed >= 5, 'what the client missed was replayed');
  assert.equal(got.missed.length, 0);
  t.diagnostic(`${sent} messages of 8 KiB; ${rejoin.replayed} recovered from history after the cut`);
});
