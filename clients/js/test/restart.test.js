// The server restarts (a new hub: every thread's history has a new epoch). The client reports the
// epoch change and the gap, starts the thread over, and delivers nothing twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ThreadwireClient } from '../src/threadwire-client.js';
import { startServer } from './support/server.js';
import { collector, eventually, nextState } from './support/util.js';

let server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

test('a restart is reported as an epoch change, and the new epoch starts over from 1', async (t) => {
  const c = new ThreadwireClient({
    url: server.wsUrl,
    WebSocket,
    reconnect: { initialDelay: 20, maxDelay: 100 },
  });
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('r-1', got.handlers, { from: 'start' });
  const states = [];
  c.on('state', (e) => states.push(e));
  c.connect();
  const first = await sub.ready;
  await server.send('r-1', 3);
  await eventually(() => got.messages.length === 3);

  const away = nextState(c, 'disconnected');
  await server.restart();
  const gone = await away;
  assert.equal(gone.code, 1001, 'the stopping server says going away');
  assert.equal(gone.reconnect, true);
  await server.send('r-1', 2); // QUEUED in the new server's history, before or after the rejoin
  await eventually(() => got.epochs.length === 1 && got.messages.length === 5);
  await server.send('r-1', 1);
  await eventually(() => got.messages.length === 6);

  const [change] = got.epochs;
  assert.equal(change.previousEpoch, first.epoch);
  assert.notEqual(change.epoch, first.epoch);
  assert.equal(change.lastOffset, 3);
  const byEpoch = got.messages.map((m) => `${m.epoch === first.epoch ? 'old' : 'new'}:${m.offset}`);
  assert.deepEqual(byEpoch, ['old:1', 'old:2', 'old:3', 'new:1', 'new:2', 'new:3']);
  const rejoin = got.joined.at(-1);
  assert.equal(rejoin.rejoin, true);
  assert.equal(rejoin.epochChanged, true);
  assert.equal(rejoin.recovered, false);
  assert.equal(got.missed.length, 1);
  assert.equal(got.missed[0].epochChanged, true);
  assert.equal(got.recovered.length, 0, 'a lost history is never reported as recovered');
  assert.equal(sub.epoch, change.epoch);
  assert.equal(sub.offset, 3);
});
