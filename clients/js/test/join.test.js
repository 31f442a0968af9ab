// Join, replay and live against the real Tyrus server; requests matched by ref; error frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ThreadwireClient, ThreadwireError } from '../src/threadwire-client.js';
import { startServer } from './support/server.js';
import { collector, eventually, nextState } from './support/util.js';

let server;
before(async () => {
  // Threads named evict-* keep 3 messages: a position older than that cannot be recovered.
  server = await startServer({ 'threadwire.hub.history-prefixes.evict-.max-messages': '3' });
});
after(() => server.stop());

function client(options = {}) {
  return new ThreadwireClient({ url: server.wsUrl, WebSocket, ...options });
}

test('from start: replays the retained history in order, then delivers live messages', async (t) => {
  await server.send('j-start', 3);
  const c = client();
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('j-start', got.handlers, { from: 'start' });
  c.connect();
  const joined = await sub.ready;
  assert.equal(joined.recovered, true);
  assert.equal(joined.replayed, 3);
  assert.equal(joined.offset, 3);
  assert.equal(joined.rejoin, false);
  await eventually(() => got.offsets().length === 3);
  const outcomes = await server.send('j-start', 2);
  assert.deepEqual(outcomes.map((o) => o.status), ['DELIVERED', 'DELIVERED']);
  await eventually(() => got.offsets().length === 5);
  assert.deepEqual(got.offsets(), [1, 2, 3, 4, 5]);
  assert.deepEqual(got.messages.map((m) => m.replayed), [true, true, true, false, false]);
  assert.deepEqual(got.messages.map((m) => m.payload.n), [0, 1, 2, 0, 1]);
  assert.equal(sub.offset, 5);
  assert.equal(sub.epoch, joined.epoch);
});

test('live only: nothing from before the join, everything after it', async (t) => {
  await server.send('j-live', 2);
  const c = client();
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('j-live', got.handlers);
  c.connect();
  const joined = await sub.ready;
  assert.equal(joined.replayed, 0);
  assert.equal(joined.offset, 2);
  await server.send('j-live', 1);
  await eventually(() => got.offsets().length === 1);
  assert.deepEqual(got.offsets(), [3]);
});

test('from a saved position: replays only what came after it', async (t) => {
  await server.send('j-pos', 4);
  const first = client();
  const sub1 = first.subscribe('j-pos', {}, { from: 'live' });
  first.connect();
  const { epoch } = await sub1.ready;
  first.close();
  const c = client();
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('j-pos', got.handlers, { from: { epoch, offset: 2 } });
  c.connect();
  const joined = await sub.ready;
  assert.equal(joined.replayed, 2);
  assert.equal(joined.recovered, true);
  await eventually(() => got.offsets().length === 2);
  assert.deepEqual(got.offsets(), [3, 4]);
});

test('history evicted past a saved position: onMissed with the count, then the rest in order', async (t) => {
  await server.send('evict-1', 10); // offsets 1..10; 8, 9 and 10 are retained
  const first = client();
  const sub1 = first.subscribe('evict-1', {}, { from: 'live' });
  first.connect();
  const { epoch } = await sub1.ready;
  first.close();
  const c = client();
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('evict-1', got.handlers, { from: { epoch, offset: 2 } });
  c.connect();
  const joined = await sub.ready;
  assert.equal(joined.recovered, false);
  assert.equal(joined.missed, 5);
  assert.equal(joined.replayed, 3);
  assert.deepEqual(got.missed, [{ thread: 'evict-1', missed: 5, epochChanged: false, reason: 'history' }]);
  await eventually(() => got.messages.length === 3);
  assert.deepEqual(got.offsets(), [8, 9, 10]);
  assert.equal(got.epochs.length, 0);
});

test('transient messages are delivered with offset 0 and never change the position', async (t) => {
  const c = client();
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('j-transient', got.handlers);
  c.connect();
  await sub.ready;
  await server.send('j-transient', 1);
  await server.send('j-transient', 2, { transient: true });
  await server.send('j-transient', 1);
  await eventually(() => got.messages.length === 4);
  assert.deepEqual(got.offsets(), [1, 0, 0, 2]);
  assert.equal(sub.offset, 2);
});

test('welcome and state events: connecting, then connected with the connection id and user', async (t) => {
  const c = client({ token: 'ada' });
  t.after(() => c.close());
  const states = [];
  c.on('state', (e) => states.push(e));
  const welcome = new Promise((resolve) => c.on('welcome', resolve));
  c.connect();
  const w = await welcome;
  assert.equal(w.protocol, 1);
  assert.equal(w.user, 'ada');
  assert.deepEqual(states.map((s) => s.state), ['connecting', 'connected']);
  assert.equal(states[1].connection, w.connection);
  assert.equal(c.connectionId, w.connection);
  assert.equal(c.user, 'ada');
});

test('the token goes in the Authorization header when asked to', async (t) => {
  const c = client({ token: () => 'grace', tokenPlacement: 'header' });
  t.after(() => c.close());
  c.connect();
  await nextState(c, 'connected');
  assert.equal(c.user, 'grace');
});

test('ping resolves with the round trip; leave stops delivery and resolves on left', async (t) => {
  const c = client();
  t.after(() => c.close());
  const got = collector();
  const sub = c.subscribe('j-leave', got.handlers);
  c.connect();
  await sub.ready;
  const rtt = await c.ping();
  assert.ok(rtt >= 0);
  await server.send('j-leave', 1);
  await eventually(() => got.messages.length === 1);
  await sub.leave();
  assert.equal(sub.state, 'left');
  await eventually(async () => (await server.connections('j-leave')) === 0);
  await server.send('j-leave', 1);
  // The ping's pong comes after anything the server sent before it, so nothing more arrived.
  await c.ping();
  assert.equal(got.messages.length, 1);
  assert.equal(c.subscription('j-leave'), undefined);
});

test('a refused join rejects ready with the error frame code, and other threads go on', async (t) => {
  const c = client();
  t.after(() => c.close());
  const bad = collector();
  const sub = c.subscribe('not a valid id!', bad.handlers);
  const good = collector();
  const ok = c.subscribe('j-ok', good.handlers);
  c.connect();
  await assert.rejects(sub.ready, (e) => e instanceof ThreadwireError && e.code === 'invalid_thread');
  assert.equal(sub.state, 'failed');
  assert.deepEqual(bad.errors.map((e) => e.code), ['invalid_thread']);
  await ok.ready;
  await server.send('j-ok', 1);
  await eventually(() => good.messages.length === 1);
});

test('ping before connecting rejects with not_connected; after close() with closed state', async () => {
  const c = client();
  await assert.rejects(c.ping(), (e) => e.code === 'not_connected');
  c.connect();
  await nextState(c, 'connected');
  const pending = c.subscribe('j-close').ready;
  c.close();
  assert.equal(c.state, 'closed');
  assert.throws(() => c.subscribe('j-other'), (e) => e.code === 'closed');
  assert.throws(() => c.connect(), (e) => e.code === 'closed');
  // Never joined: its promise stays pending, nothing rejects unobserved.
  void pending;
});
