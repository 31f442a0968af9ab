// Tokens and refusals: a token function is called on every (re)connect, so an expired token is
// replaced; a refused handshake backs off and gives up; a 1009 close is never retried.
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
    'testserver.tokens': 't1,fixed',
    // Small enough that a join of a long thread id is too big for it.
    'threadwire.tyrus.max-frame-size': '128',
  });
  proxy = await startProxy(server.port);
});
after(async () => {
  await proxy.close();
  await server.stop();
});

test('an expired token is refreshed on reconnect, and the thread recovers', async (t) => {
  await server.setTokens(['t1', 'fixed']);
  const before = (await server.handshakes()).count;
  let calls = 0;
  // The token source caches its token for a while: the reconnect right after the drop still
  // gets the stale t1 (refused), the next call fetches t2.
  const token = () => {
    calls++;
    return Promise.resolve(calls <= 2 ? 't1' : 't2');
  };
  const c = new ThreadwireClient({
    url: proxy.url(),
    WebSocket,
    token,
    reconnect: { initialDelay: 20, maxDelay: 100 },
  });
  t.after(() => c.close());
  const states = [];
  c.on('state', (e) => states.push(e));
  const got = collector();
  const sub = c.subscribe('a-1', got.handlers, { from: 'start' });
  c.connect();
  await sub.ready;
  assert.equal(c.user, 't1');
  await server.send('a-1', 2);
  await eventually(() => got.messages.length === 2);

  await server.setTokens(['t2', 'fixed']); // t1 expires
  const back = eventually(() => c.state === 'connected' && c.user === 't2');
  proxy.dropAll();
  await server.send('a-1', 2);
  await back;
  await eventually(() => got.messages.length === 4);
  assert.deepEqual(got.offsets(), range(1, 4));
  assert.equal(calls, 3);
  const seen = (await server.handshakes()).tokens.slice(before);
  assert.deepEqual(seen, ['t1', 't1', 't2']);
  const disconnects = states.filter((s) => s.state === 'disconnected').map((s) => s.cause);
  assert.deepEqual(disconnects, ['closed', 'handshake']);
});

test('a refused handshake backs off exponentially and gives up after maxFailedHandshakes', async () => {
  const before = (await server.handshakes()).count;
  const c = new ThreadwireClient({
    url: server.wsUrl,
    WebSocket,
    token: 'not-a-valid-token',
    reconnect: { initialDelay: 40, maxDelay: 200, maxFailedHandshakes: 5 },
    random: () => 0.5, // the middle of each jitter window: delays are exact
  });
  const states = [];
  c.on('state', (e) => states.push(e));
  const closed = nextState(c, 'closed');
  c.connect();
  const end = await closed;
  assert.equal(end.cause, 'handshake');
  assert.equal(end.reconnect, false);
  assert.match(end.reason, /5 handshakes in a row failed/);
  const delays = states.filter((s) => s.state === 'disconnected').map((s) => s.delay);
  assert.deepEqual(delays, [20, 40, 80, 100]);
  assert.deepEqual(
    states.filter((s) => s.state === 'connecting').map((s) => s.attempt),
    [1, 2, 3, 4, 5],
  );
  assert.equal((await server.handshakes()).count - before, 5, 'exactly 5 handshakes reached the server');
  assert.equal(c.state, 'closed');
  assert.throws(() => c.connect(), (e) => e.code === 'closed');
});

test('a 1009 close (frame too big) stops the client instead of reconnecting', async () => {
  const c = new ThreadwireClient({
    url: server.wsUrl,
    WebSocket,
    token: 'fixed',
    reconnect: { initialDelay: 10, maxDelay: 20 },
  });
  const states = [];
  c.on('state', (e) => states.push(e));
  const closed = nextState(c, 'closed');
  c.subscribe('x'.repeat(120));
  c.connect();
  const end = await closed;
  assert.equal(end.code, 1009);
  assert.equal(end.reconnect, false);
  assert.deepEqual(states.map((s) => s.state), ['connecting', 'connected', 'closed']);
});
