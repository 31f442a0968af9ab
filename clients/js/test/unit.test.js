// The client's rules without a server: a scripted WebSocket stands in and the timers are mocked,
// so each rule is checked exactly (backoff, close-code policy, duplicates, gaps, timeouts,
// retries, handler failures) and no test waits on the wall clock.
import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ThreadwireClient, closePolicy, backoffDelay } from '../src/threadwire-client.js';
import { collector } from './support/util.js';

/** A WebSocket the test drives: `sockets` holds every one the client opened. */
function fakeWebSocket() {
  const sockets = [];
  class FakeSocket {
    constructor(url, protocols, options) {
      this.url = url;
      this.options = options;
      this.sent = [];
      this.closed = null;
      this.terminated = false;
      sockets.push(this);
    }
    send(text) {
      this.sent.push(JSON.parse(text));
    }
    close(code, reason) {
      this.closed = { code, reason };
    }
    terminate() {
      this.terminated = true;
    }
    // Test side:
    deliver(frame) {
      this.onmessage?.({ data: JSON.stringify(frame) });
    }
    welcome(id = 'c-1') {
      this.deliver({ type: 'welcome', connection: id, user: 'u', protocol: 1 });
    }
    serverClose(code, reason = '') {
      this.onclose?.({ code, reason });
    }
    lastSent(type) {
      return this.sent.filter((f) => f.type === type).at(-1);
    }
  }
  return { FakeSocket, sockets };
}

const flush = () => new Promise((r) => setImmediate(r));

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

/**
 * Moves the mocked clock on by `ms`, a millisecond at a time, letting promise callbacks run
 * after each step (a pong's callback schedules the next ping, a token resolves).
 */
async function advance(ms) {
  for (let i = 0; i < ms; i++) {
    mock.timers.tick(1);
    await flush();
  }
}

function setup(options = {}) {
  const { FakeSocket, sockets } = fakeWebSocket();
  const client = new ThreadwireClient({
    url: 'ws://127.0.0.1:1/threads',
    WebSocket: FakeSocket,
    reconnect: { initialDelay: 1, maxDelay: 4 },
    random: () => 0.5,
    ping: false,
    ...options,
  });
  const states = [];
  client.on('state', (e) => states.push(e));
  return { client, sockets, states };
}

async function connected(client, sockets) {
  client.connect();
  await flush(); // the token is resolved asynchronously
  const ws = sockets.at(-1);
  ws.welcome(`c-${sockets.length}`);
  return ws;
}

function joinedReply(ws, thread, fields) {
  const join = ws.sent.filter((f) => f.type === 'join' && f.thread === thread).at(-1);
  ws.deliver({ type: 'joined', thread, recovered: true, replayed: 0, missed: 0, ref: join.ref, ...fields });
  return join;
}

const message = (thread, epoch, offset) => ({ type: 'message', thread, epoch, offset, id: `m${offset}`, payload: { offset } });

test('close codes: which reconnect, which reconnect slowly, which stop', () => {
  for (const code of [1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014]) assert.equal(closePolicy(code), 'reconnect', `${code}`);
  for (const code of [1002, 1003, 1007, 1009, 1010]) assert.equal(closePolicy(code), 'stop', `${code}`);
  for (const code of [1008, 1004, 1015, 3000, 4000, 4999, 1020]) assert.equal(closePolicy(code), 'reconnect-slowly', `${code}`);
});

test('backoff: full jitter under a ceiling that grows by the multiplier up to the maximum', () => {
  const o = { initialDelay: 100, maxDelay: 1000, multiplier: 2 };
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, o, () => 0.999)), [99, 199, 399, 799, 999, 999]);
  assert.equal(backoffDelay(3, o, () => 0), 0);
});

test('the token goes in the query parameter by default, or in a header', async () => {
  const q = setup({ token: 'a b&c', url: 'ws://h:1/threads?x=1' });
  q.client.connect();
  await flush();
  assert.equal(q.sockets[0].url, 'ws://h:1/threads?x=1&access_token=a+b%26c');
  assert.equal(q.sockets[0].options, undefined);
  const h = setup({ token: () => 'tok', tokenPlacement: 'header', tokenHeader: 'X-Auth' });
  h.client.connect();
  await flush();
  assert.equal(h.sockets[0].url, 'ws://127.0.0.1:1/threads');
  assert.deepEqual(h.sockets[0].options, { headers: { 'X-Auth': 'Bearer tok' } });
});

test('invalid options are refused with a message naming them', () => {
  assert.throws(() => new ThreadwireClient({ url: 'http://x' }), /url must be a ws:\/\/ or wss:\/\/ URL/);
  if (globalThis.WebSocket === undefined) {
    assert.throws(() => new ThreadwireClient({ url: 'ws://x' }), /no WebSocket implementation/);
  }
  const { FakeSocket } = fakeWebSocket();
  assert.throws(() => new ThreadwireClient({ url: 'ws://x', WebSocket: FakeSocket, reconnect: { maxDelay: 0 } }), /reconnect.maxDelay/);
  assert.throws(() => new ThreadwireClient({ url: 'ws://x', WebSocket: FakeSocket, token: 5 }), /token must be/);
  const c = new ThreadwireClient({ url: 'ws://x', WebSocket: FakeSocket });
  assert.throws(() => c.subscribe('t', {}, { from: 'yesterday' }), /from must be/);
  // since without epoch is never sent: the server could not tell which history it belongs to.
  assert.throws(() => c.subscribe('t', {}, { from: { offset: 5 } }), /needs the epoch/);
  c.subscribe('t');
  assert.throws(() => c.subscribe('t'), /already subscribed/);
});

test('duplicates and out-of-order offsets are dropped; a gap is reported as missed', async () => {
  const { client, sockets } = setup();
  const got = collector();
  client.subscribe('t', got.handlers, { from: 'start' });
  const ws = await connected(client, sockets);
  assert.deepEqual(ws.lastSent('join'), { type: 'join', thread: 't', since: 0, ref: ws.lastSent('join').ref });
  joinedReply(ws, 't', { epoch: 7, offset: 2, replayed: 2 });
  for (const o of [1, 2, 2, 1, 3, 6, 5, 7]) ws.deliver(message('t', 7, o));
  assert.deepEqual(got.offsets(), [1, 2, 3, 6, 7]);
  assert.deepEqual(got.missed, [{ thread: 't', missed: 2, epochChanged: false, reason: 'gap' }]);
  assert.deepEqual(got.messages.map((m) => m.replayed), [true, true, false, false, false]);
  client.close();
});

test('a rejoin carries since and epoch; replayed duplicates are dropped; recovered is reported', async () => {
  const { client, sockets, states } = setup();
  const got = collector();
  client.subscribe('t', got.handlers);
  let ws = await connected(client, sockets);
  assert.equal(ws.lastSent('join').since, undefined, 'live only: no since on the first join');
  joinedReply(ws, 't', { epoch: 7, offset: 10 });
  ws.deliver(message('t', 7, 11));
  ws.serverClose(1006);
  assert.equal(states.at(-1).state, 'disconnected');
  await advance(5);
  ws = sockets.at(-1);
  assert.equal(sockets.length, 2);
  // Frames from the old socket after it closed never reach the subscription.
  sockets[0].onmessage?.({ data: JSON.stringify(message('t', 7, 12)) });
  ws.welcome('c-2');
  const join = joinedReply(ws, 't', { epoch: 7, offset: 13, replayed: 2 });
  assert.equal(join.since, 11);
  assert.equal(join.epoch, 7);
  ws.deliver(message('t', 7, 11));
  ws.deliver(message('t', 7, 12));
  ws.deliver(message('t', 7, 13));
  assert.deepEqual(got.offsets(), [11, 12, 13]);
  assert.deepEqual(got.recovered, [{ thread: 't', replayed: 2 }]);
  client.close();
});

test('a saved position of another epoch is reported as an epoch change on the first join', async () => {
  const { client, sockets } = setup();
  const got = collector();
  client.subscribe('t', got.handlers, { from: { epoch: 3, offset: 9 } });
  const ws = await connected(client, sockets);
  const join = joinedReply(ws, 't', { epoch: 4, offset: 1, replayed: 1, recovered: false, missed: 9 });
  assert.equal(join.since, 9);
  assert.equal(join.epoch, 3);
  ws.deliver(message('t', 4, 1));
  assert.deepEqual(got.epochs, [{ thread: 't', previousEpoch: 3, epoch: 4, lastOffset: 9 }]);
  assert.deepEqual(got.offsets(), [1]);
  assert.equal(got.missed.length, 1);
  assert.equal(got.joined[0].epochChanged, true);
  client.close();
});

test('the backoff resets only after a stable connection closed with a reconnect code', async () => {
  const { client, sockets, states } = setup({ reconnect: { initialDelay: 8, maxDelay: 64, stableAfter: 30 } });
  const delays = () => states.filter((s) => s.state === 'disconnected').map((s) => s.delay);
  const reopen = async () => {
    await advance(states.at(-1).delay + 2);
    sockets.at(-1).welcome();
  };
  let ws = await connected(client, sockets);
  ws.serverClose(1006); // unstable: 4, then 8, 16...
  await reopen();
  sockets.at(-1).serverClose(1006);
  await reopen();
  sockets.at(-1).serverClose(4321); // unknown: reconnect slowly, never a reset
  assert.deepEqual(delays(), [4, 8, 16]);
  await reopen();
  await advance(40);
  sockets.at(-1).serverClose(1008); // stable, but 1008 does not reset
  assert.deepEqual(delays(), [4, 8, 16, 32]);
  await reopen();
  await advance(40);
  sockets.at(-1).serverClose(1001); // stable and going away: reset
  assert.deepEqual(delays(), [4, 8, 16, 32, 4]);
  client.close();
  ws = null;
});

test('a join without reply abandons the connection and rejoins on the next one', async () => {
  const { client, sockets, states } = setup({ requestTimeout: 20 });
  const got = collector();
  client.subscribe('t', got.handlers);
  const ws = await connected(client, sockets);
  await advance(40);
  assert.equal(ws.terminated, true);
  const d = states.find((s) => s.state === 'disconnected');
  assert.equal(d.cause, 'request_timeout');
  assert.deepEqual(got.errors.map((e) => e.code), ['timeout']);
  await advance(5);
  sockets.at(-1).welcome();
  assert.equal(sockets.at(-1).lastSent('join').thread, 't');
  client.close();
});

test('a ping without pong within the timeout abandons the connection', async () => {
  const { client, sockets, states } = setup({ ping: { interval: 5, timeout: 10 } });
  const ws = await connected(client, sockets);
  await advance(10);
  const ping = ws.lastSent('ping');
  assert.ok(ping.ref);
  ws.deliver({ type: 'pong', ref: ping.ref });
  await advance(40);
  assert.equal(ws.terminated, true);
  assert.equal(states.find((s) => s.state === 'disconnected').cause, 'ping_timeout');
  client.close();
});

test('retryable join errors are retried on the same connection; others fail the subscription', async () => {
  const { client, sockets } = setup();
  const busy = collector();
  const bad = collector();
  const sBusy = client.subscribe('busy', busy.handlers);
  const sBad = client.subscribe('bad', bad.handlers);
  const ws = await connected(client, sockets);
  const j1 = ws.lastSent('join');
  const jBad = ws.sent.find((f) => f.thread === 'bad');
  ws.deliver({ type: 'error', code: 'forbidden_thread', reason: 'no', thread: 'bad', ref: jBad.ref });
  const jBusy = ws.sent.find((f) => f.thread === 'busy');
  ws.deliver({ type: 'error', code: 'rate_limited', reason: 'slow down', ref: jBusy.ref });
  await assert.rejects(sBad.ready, (e) => e.code === 'forbidden_thread' && e.thread === 'bad');
  await advance(10);
  const retry = ws.sent.filter((f) => f.thread === 'busy');
  assert.equal(retry.length, 2);
  joinedReply(ws, 'busy', { epoch: 1, offset: 0 });
  const info = await sBusy.ready;
  assert.equal(info.epoch, 1);
  assert.deepEqual(busy.errors.map((e) => e.code), ['rate_limited']);
  assert.ok(j1);
  client.close();
});

test('an error frame without a matching ref is emitted on the client, with its code', async () => {
  const { client, sockets } = setup();
  const errors = [];
  client.on('error', (e) => errors.push(e));
  const ws = await connected(client, sockets);
  ws.deliver({ type: 'error', code: 'malformed_json', reason: 'not JSON' });
  assert.deepEqual(errors.map((e) => [e.code, e.reason]), [['malformed_json', 'not JSON']]);
  client.close();
});

test('a throwing handler is reported and never stops delivery to the others', async () => {
  const { client, sockets } = setup();
  const errors = [];
  client.on('error', (e) => errors.push(e));
  const offsets = [];
  client.subscribe('t', {
    onMessage(m) {
      offsets.push(m.offset);
      if (m.offset === 1) throw new Error('boom');
    },
  });
  const ws = await connected(client, sockets);
  joinedReply(ws, 't', { epoch: 1, offset: 0 });
  ws.deliver(message('t', 1, 1));
  ws.deliver(message('t', 1, 2));
  assert.deepEqual(offsets, [1, 2]);
  assert.equal(errors[0].code, 'handler_error');
  assert.equal(errors[0].cause.message, 'boom');
  client.close();
});

test('close() stops reconnecting and rejects pending requests with closed', async () => {
  const { client, sockets, states } = setup();
  const ws = await connected(client, sockets);
  const ping = client.ping();
  client.close();
  await assert.rejects(ping, (e) => e.code === 'closed');
  assert.deepEqual(ws.closed, { code: 1000, reason: 'client closed' });
  assert.equal(states.at(-1).state, 'closed');
  ws.serverClose(1006);
  await advance(10);
  assert.equal(sockets.length, 1, 'no reconnect after close()');
});

test('a gap frame is reported as missed (reason lost) and the next offset is not a second gap', async () => {
  const { client, sockets } = setup();
  const got = collector();
  client.subscribe('t', got.handlers);
  const ws = await connected(client, sockets);
  joinedReply(ws, 't', { epoch: 7, offset: 4 });
  ws.deliver(message('t', 7, 5));
  ws.deliver({ type: 'gap', thread: 't', epoch: 7, from: 6, to: 8, epochChanged: false });
  ws.deliver(message('t', 7, 9));
  // Only transient messages lost: still reported, with nothing stored skipped.
  ws.deliver({ type: 'gap', thread: 't', epoch: 7, from: 10, to: 9, epochChanged: false });
  ws.deliver({ type: 'gap', thread: 'other', epoch: 7, from: 1, to: 3, epochChanged: false });
  ws.deliver(message('t', 7, 10));
  assert.deepEqual(got.offsets(), [5, 9, 10]);
  assert.deepEqual(got.missed, [
    { thread: 't', missed: 3, epochChanged: false, reason: 'lost' },
    { thread: 't', missed: 0, epochChanged: false, reason: 'lost' },
  ]);
  assert.equal(got.epochs.length, 0);
  client.close();
});

test('a gap frame with a new epoch is an epoch change; the new epoch starts over from 1', async () => {
  const { client, sockets } = setup();
  const got = collector();
  const sub = client.subscribe('t', got.handlers);
  const ws = await connected(client, sockets);
  joinedReply(ws, 't', { epoch: 7, offset: 2 });
  ws.deliver(message('t', 7, 3));
  ws.deliver({ type: 'gap', thread: 't', epoch: 8, from: 1, to: 0, epochChanged: true });
  ws.deliver(message('t', 8, 1));
  ws.deliver(message('t', 8, 2));
  // The same epoch change told twice (a join in progress) is reported once.
  ws.deliver({ type: 'gap', thread: 't', epoch: 8, from: 1, to: 0, epochChanged: true });
  assert.deepEqual(got.epochs, [{ thread: 't', previousEpoch: 7, epoch: 8, lastOffset: 3 }]);
  assert.deepEqual(got.missed, [{ thread: 't', missed: 0, epochChanged: true, reason: 'lost' }]);
  assert.deepEqual(got.messages.map((m) => `${m.epoch}:${m.offset}`), ['7:3', '8:1', '8:2']);
  assert.equal(sub.epoch, 8);
  assert.equal(sub.offset, 2);
  client.close();
});
