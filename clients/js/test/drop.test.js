// The network drops every TCP connection while messages are sent: the client reconnects, rejoins
// with since and epoch, and delivers every offset exactly once, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ThreadwireClient } from '../src/threadwire-client.js';
import { startServer } from './support/server.js';
import { startProxy } from './support/proxy.js';
import { collector, eventually, range } from './support/util.js';

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

test('connections dropped while 300 messages are sent: every offset once, in order', async (t) => {
  const c = new ThreadwireClient({
    url: proxy.url(),
    WebSocket,
    reconnect: { initialDelay: 20, maxDelay: 200 },
  });
  t.after(() => c.close());
  const states = [];
  c.on('state', (e) => states.push(e));
  const got = collector();
  const dropAt = new Set([17, 60, 61, 120, 199, 250]);
  let dropped = 0;
  const sub = c.subscribe(
    'd-1',
    {
      ...got.handlers,
      onMessage(m) {
        got.messages.push(m);
        // Drop in the middle of a batch, and twice in a row (60, 61: during a replay).
        // (61 may arrive in the same read as 60, before the client sees the drop: no connection then.)
        if (dropAt.has(m.offset)) dropped += proxy.dropAll();
      },
    },
    { from: 'start' },
  );
  c.connect();
  await sub.ready;
  let queued = 0;
  for (let batch = 0; batch < 30; batch++) {
    const outcomes = await server.send('d-1', 10);
    queued += outcomes.filter((o) => o.status === 'QUEUED').length;
  }
  await eventually(() => got.messages.length >= 300 && sub.state === 'joined');
  // One more after the last reconnect settles proves nothing is pending behind it.
  await server.send('d-1', 1);
  await eventually(() => got.messages.length >= 301);
  assert.deepEqual(got.offsets(), range(1, 301));
  const drops = states.filter((s) => s.state === 'disconnected');
  assert.ok(dropped >= dropAt.size - 1, `dropped ${dropped} connections`);
  assert.equal(drops.length, dropped, 'one reconnect per dropped connection');
  assert.ok(drops.every((s) => s.reconnect === true && s.code === 1006 && s.cause === 'closed'));
  const rejoins = got.joined.filter((j) => j.rejoin);
  assert.equal(rejoins.length, dropped);
  assert.ok(rejoins.every((j) => j.recovered && j.missed === 0 && !j.epochChanged));
  assert.equal(got.recovered.length, rejoins.length);
  assert.equal(got.missed.length, 0);
  assert.ok(got.messages.some((m) => m.replayed), 'some messages were recovered by replay');
  t.diagnostic(`${drops.length} drops, ${queued} sends QUEUED while disconnected`);
});
