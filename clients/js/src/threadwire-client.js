// threadwire-client: the JavaScript client of the Threadwire wire protocol, version 1
// (adapter-tyrus/PROTOCOL.md), for browsers and Node 20+. No runtime dependencies.
//
// What it guarantees, per subscribed thread: every stored offset is delivered at most once and in
// increasing order, across reconnects; whatever it cannot replay is reported (missed, epoch
// change), never skipped in silence.

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = 1;

/** The close code the client uses when it abandons a connection it considers dead. */
export const ABANDONED_CLOSE_CODE = 4000;

const DEFAULTS = Object.freeze({
  tokenPlacement: 'query',
  tokenQueryParameter: 'access_token',
  tokenHeader: 'Authorization',
  requestTimeout: 10000,
  connectTimeout: 10000,
});

const RECONNECT_DEFAULTS = Object.freeze({
  initialDelay: 500,
  maxDelay: 30000,
  multiplier: 2,
  stableAfter: 10000,
  maxFailedHandshakes: 20,
});

const PING_DEFAULTS = Object.freeze({ interval: 20000, timeout: 10000 });

// Close codes after which reconnecting would send the same frames and get the same answer.
const STOP_CODES = new Set([1002, 1003, 1007, 1009, 1010]);
// Close codes that say the server (or the network) went away or is busy: reconnect, recover.
const RECONNECT_CODES = new Set([1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014]);
// Join errors worth retrying on the same connection: the server may take the join later.
const RETRYABLE_JOIN_ERRORS = new Set(['unavailable', 'rate_limited', 'internal_error']);

/**
 * Returns what the client does after a connection that had opened closes with `code`:
 * `reconnect` (backoff, then rejoin with `since`), `reconnect-slowly` (reconnect, but the
 * connection never counts as stable, so the backoff keeps growing to its maximum) or `stop`.
 * A code the client does not know (a newer server's, an application's 4xxx) is `reconnect-slowly`:
 * it never loops tight, and never gives up on a server it does not understand.
 *
 * @param {number} code
 * @returns {'reconnect' | 'reconnect-slowly' | 'stop'}
 */
export function closePolicy(code) {
  if (STOP_CODES.has(code)) return 'stop';
  if (RECONNECT_CODES.has(code)) return 'reconnect';
  return 'reconnect-slowly';
}

/**
 * Returns the delay before reconnect attempt `failures` (0 for the first after a stable
 * connection): full jitter, `random() * min(maxDelay, initialDelay * multiplier ** failures)`.
 *
 * @param {number} failures
 * @param {{initialDelay: number, maxDelay: number, multiplier: number}} options
 * @param {() => number} random
 */
export function backoffDelay(failures, options, random = Math.random) {
  const ceiling = Math.min(options.maxDelay, options.initialDelay * options.multiplier ** failures);
  return Math.floor(random() * ceiling);
}

/** An error frame from the server, or a request the client gave up on. */
export class ThreadwireError extends Error {
  /**
   * @param {string} code a stable code: the server's (`forbidden_thread`, ...) or the client's
   *     (`timeout`, `not_connected`, `closed`, `handler_error`)
   * @param {string} reason for humans
   * @param {{thread?: string, ref?: string, cause?: unknown}} [details]
   */
  constructor(code, reason, details = {}) {
    super(`${code}: ${reason}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ThreadwireError';
    this.code = code;
    this.reason = reason;
    if (details.thread !== undefined) this.thread = details.thread;
    if (details.ref !== undefined) this.ref = details.ref;
  }
}

function ignore() {}

function positiveNumber(value, name) {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new TypeError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function settings(options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('options must be an object with at least `url`');
  }
  if (typeof options.url !== 'string' || !/^wss?:\/\//.test(options.url)) {
    throw new TypeError(`url must be a ws:// or wss:// URL, got ${String(options.url)}`);
  }
  const WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
  if (typeof WebSocketImpl !== 'function') {
    throw new TypeError(
      'no WebSocket implementation: pass one as the `WebSocket` option (in Node 20, the `ws` package)',
    );
  }
  const token = options.token;
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'function') {
    throw new TypeError('token must be a string or a function returning one (or a promise of one)');
  }
  const s = { ...DEFAULTS, ...options, WebSocket: WebSocketImpl };
  if (s.tokenPlacement !== 'query' && s.tokenPlacement !== 'header') {
    throw new TypeError(`tokenPlacement must be 'query' or 'header', got ${String(s.tokenPlacement)}`);
  }
  positiveNumber(s.requestTimeout, 'requestTimeout');
  positiveNumber(s.connectTimeout, 'connectTimeout');
  s.reconnect = { ...RECONNECT_DEFAULTS, ...(options.reconnect ?? {}) };
  for (const k of ['initialDelay', 'maxDelay', 'stableAfter', 'maxFailedHandshakes']) {
    positiveNumber(s.reconnect[k], `reconnect.${k}`);
  }
  if (!(s.reconnect.multiplier >= 1)) {
    throw new TypeError(`reconnect.multiplier must be >= 1, got ${String(s.reconnect.multiplier)}`);
  }
  s.ping = options.ping === false ? false : { ...PING_DEFAULTS, ...(options.ping ?? {}) };
  if (s.ping) {
    positiveNumber(s.ping.interval, 'ping.interval');
    positiveNumber(s.ping.timeout, 'ping.timeout');
  }
  s.random = options.random ?? Math.random;
  return s;
}

function firstJoin(from) {
  if (from === undefined || from === 'live') return { since: undefined, epoch: undefined };
  if (from === 'start') return { since: 0, epoch: undefined };
  if (
    from !== null &&
    typeof from === 'object' &&
    Number.isSafeInteger(from.offset) &&
    from.offset >= 0 &&
    (from.epoch === undefined || (Number.isSafeInteger(from.epoch) && from.epoch >= 0))
  ) {
    if (from.epoch === undefined && from.offset > 0) {
      // Without the epoch the server cannot tell which history the offset belongs to (a restart
      // begins a new one) and answers recovered=false with everything retained: always send both.
      throw new TypeError(
        `from {offset} needs the epoch the offset belongs to (from a joined frame or a message), got ${JSON.stringify(from)}`,
      );
    }
    return { since: from.offset, epoch: from.epoch };
  }
  throw new TypeError(`from must be 'live', 'start' or {epoch, offset}, got ${JSON.stringify(from)}`);
}

/**
 * One thread the client is subscribed to. Created by {@link ThreadwireClient#subscribe}; it is
 * joined on every connection until {@link Subscription#leave} or a refusal that cannot change.
 */
export class Subscription {
  /** @internal */
  constructor(client, thread, handlers, from) {
    this.thread = thread;
    /** @type {number | null} the epoch of the last `joined`, null before the first */
    this.epoch = null;
    /** @type {number | null} the last stored offset delivered (or joined at), null before */
    this.offset = null;
    /** @type {'joining' | 'joined' | 'left' | 'failed'} */
    this.state = 'joining';
    this._client = client;
    this._handlers = handlers;
    this._from = firstJoin(from);
    this._replaying = 0;
    this._joinedOnce = false;
    this._retries = 0;
    let resolve;
    let reject;
    /** Resolves with the first `joined`; rejects if the server refuses the thread for good. */
    this.ready = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // An unobserved rejection must not crash Node: the handler's onError sees it too.
    this.ready.catch(() => {});
    this._resolveReady = resolve;
    this._rejectReady = reject;
  }

  /** Returns where a (re)join starts: `{since, epoch}` per PROTOCOL.md's `join`. */
  position() {
    if (this.offset === null) return this._from;
    return { since: this.offset, epoch: this.epoch ?? undefined };
  }

  /**
   * Leaves the thread: no message of it is delivered after this call. Resolves when the server
   * answers `left` (at once when not connected: a closed connection is in no thread).
   *
   * @returns {Promise<void>}
   */
  leave() {
    return this._client._leave(this);
  }

  _emit(name, value) {
    const handler = this._handlers[name];
    if (typeof handler !== 'function') return;
    try {
      handler.call(this._handlers, value, this);
    } catch (e) {
      this._client._emit(
        'error',
        new ThreadwireError('handler_error', `the ${name} handler of ${this.thread} threw`, {
          thread: this.thread,
          cause: e,
        }),
      );
    }
  }

  _onJoined(frame) {
    const rejoin = this._joinedOnce;
    // The epoch our position belongs to: the last joined one, or the saved position's.
    const previousEpoch = this.epoch !== null ? this.epoch : (this._from.epoch ?? null);
    const epochChanged = previousEpoch !== null && frame.epoch !== previousEpoch;
    this.state = 'joined';
    this._retries = 0;
    this._replaying = typeof frame.replayed === 'number' ? frame.replayed : 0;
    const info = {
      thread: this.thread,
      epoch: frame.epoch,
      offset: frame.offset,
      recovered: frame.recovered === true,
      replayed: this._replaying,
      missed: typeof frame.missed === 'number' ? frame.missed : 0,
      rejoin,
      epochChanged,
    };
    this.epoch = frame.epoch;
    if (epochChanged) {
      // The offsets we hold belong to a lost history: the new epoch's count from 1 again.
      const lastOffset = this.offset ?? this._from.since ?? null;
      this.offset = 0;
      this._emit('onEpochChange', { thread: this.thread, previousEpoch, epoch: frame.epoch, lastOffset });
    }
    if (!info.recovered || epochChanged) {
      // The replay starts at the oldest retained message, not after our position: what lies
      // between is reported once, as missed, never again as a gap.
      this.offset = Math.max(0, frame.offset - this._replaying);
    } else if (this.offset === null) {
      // Live only: the next stored message is the one after the newest at join time.
      this.offset = this._from.since === undefined ? frame.offset : this._from.since;
    }
    this._emit('onJoined', info);
    if (!info.recovered) {
      this._emit('onMissed', { thread: this.thread, missed: info.missed, epochChanged, reason: 'history' });
    } else if (rejoin) {
      this._emit('onRecovered', { thread: this.thread, replayed: info.replayed });
    }
    if (!this._joinedOnce) {
      this._joinedOnce = true;
      this._resolveReady(info);
    }
  }

  _onMessage(frame) {
    if (this.state !== 'joined') return;
    const replayed = this._replaying > 0;
    if (replayed) this._replaying--;
    const offset = frame.offset;
    if (typeof offset !== 'number') return;
    if (offset > 0) {
      if (this.offset !== null && offset <= this.offset) return; // seen already: at most once
      if (this.offset !== null && offset > this.offset + 1) {
        this._emit('onMissed', {
          thread: this.thread,
          missed: offset - this.offset - 1,
          epochChanged: false,
          reason: 'gap',
        });
      }
      this.offset = offset;
    }
    const message = {
      thread: this.thread,
      epoch: frame.epoch,
      offset,
      id: frame.id,
      replayed,
      metadata: frame.metadata ?? {},
    };
    if (frame.payload !== undefined) message.payload = frame.payload;
    if (frame.text !== undefined) message.text = frame.text;
    this._emit('onMessage', message);
  }

  /**
   * The server's `gap` frame: stored offsets `from..to` will never arrive (a multi-node backplane
   * lost them), or the history restarted in a new epoch. Reported once as missed (reason `lost`),
   * and as an epoch change when the epoch changed; the next message follows `to`.
   */
  _onGap(frame) {
    if (this.state !== 'joined') return;
    const { epoch, from, to } = frame;
    if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return;
    const epochChanged = this.epoch !== null && epoch !== this.epoch;
    if (frame.epochChanged === true && !epochChanged) return; // this epoch was reported already
    let missed;
    if (epochChanged) {
      const previousEpoch = this.epoch;
      const lastOffset = this.offset;
      this.epoch = epoch;
      this.offset = to;
      this._emit('onEpochChange', { thread: this.thread, previousEpoch, epoch, lastOffset });
      missed = Math.max(0, to - from + 1);
    } else {
      const after = this.offset ?? from - 1;
      missed = Math.max(0, to - after);
      if (this.offset === null || to > this.offset) this.offset = to;
    }
    this._emit('onMissed', { thread: this.thread, missed, epochChanged, reason: 'lost' });
  }

  _fail(error) {
    this.state = 'failed';
    this._emit('onError', error);
    this._rejectReady(error);
  }
}

/**
 * A connection to a Threadwire server that reconnects, rejoins every subscribed thread with
 * `since` and `epoch`, and delivers each thread's messages at most once and in order.
 */
export class ThreadwireClient {
  /** @param {import('./threadwire-client').ClientOptions} options */
  constructor(options) {
    this._s = settings(options);
    /** @type {'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed'} */
    this.state = 'idle';
    /** @type {string | null} the server's id of the current connection */
    this.connectionId = null;
    /** @type {string | null} the user the server authenticated */
    this.user = null;
    this._listeners = new Map();
    this._subs = new Map();
    this._pending = new Map();
    this._nextRef = 1;
    this._ws = null;
    this._generation = 0;
    this._failures = 0;
    this._failedHandshakes = 0;
    this._timers = new Set();
    this._reconnectTimer = null;
    this._pingTimer = null;
    this._openedAt = 0;
  }

  /**
   * Listens to `event`: `state` (every state change, with the close code and reason on
   * `disconnected` and `closed`), `welcome` (the server's first frame) or `error` (server error
   * frames not tied to a request, and handler failures).
   *
   * @returns {() => void} a function that removes the listener
   */
  on(event, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = this._listeners.get(event);
    if (!set) this._listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  _emit(event, value) {
    for (const listener of [...(this._listeners.get(event) ?? [])]) {
      try {
        listener(value);
      } catch (e) {
        if (event !== 'error') {
          this._emit('error', new ThreadwireError('handler_error', `a ${event} listener threw`, { cause: e }));
        }
      }
    }
  }

  _setState(state, details = {}) {
    this.state = state;
    this._emit('state', { state, ...details });
  }

  /** Starts connecting; idempotent while connecting or connected. */
  connect() {
    if (this.state === 'closed') throw new ThreadwireError('closed', 'the client is closed');
    if (this.state === 'connecting' || this.state === 'connected') return;
    this._clearReconnect();
    this._open();
  }

  /**
   * Closes the connection with 1000 and stops reconnecting, for good: pending requests reject
   * with `closed`, subscriptions stop delivering.
   */
  close() {
    if (this.state === 'closed') return;
    this._clearReconnect();
    this._rejectPending(new ThreadwireError('closed', 'the client was closed'));
    const ws = this._ws;
    this._detach();
    if (ws) {
      try {
        ws.close(1000, 'client closed');
      } catch {
        // Already closing.
      }
    }
    for (const t of this._timers) clearTimeout(t);
    this._timers.clear();
    this._setState('closed', { code: 1000, reason: 'client closed', cause: 'client' });
  }

  /**
   * Subscribes to `thread`: joins it now if connected, and on every (re)connect with the last
   * epoch and offset delivered. `from` sets where the first join starts: `'live'` (the default:
   * messages from now on), `'start'` (the whole retained history) or `{epoch, offset}` (after a
   * position saved earlier).
   *
   * @returns {Subscription}
   */
  subscribe(thread, handlers = {}, options = {}) {
    if (this.state === 'closed') throw new ThreadwireError('closed', 'the client is closed');
    if (typeof thread !== 'string' || thread.length === 0) {
      throw new TypeError('thread must be a non-empty string');
    }
    if (this._subs.has(thread)) throw new Error(`already subscribed to ${thread}`);
    const sub = new Subscription(this, thread, handlers ?? {}, options.from);
    this._subs.set(thread, sub);
    if (this.state === 'connected') this._join(sub);
    return sub;
  }

  /** Returns the subscription to `thread`, if any. */
  subscription(thread) {
    return this._subs.get(thread);
  }

  /**
   * Sends an application `ping`; resolves with the round trip in milliseconds when the `pong`
   * arrives, rejects with `timeout` after `requestTimeout` or `not_connected`.
   *
   * @returns {Promise<number>}
   */
  ping() {
    const started = Date.now();
    return this._request({ type: 'ping' }, this._s.requestTimeout).then(() => Date.now() - started);
  }

  // --- connection lifecycle ---------------------------------------------------------------------

  async _open() {
    const generation = ++this._generation;
    this._setState('connecting', { attempt: this._failedHandshakes + 1 });
    let token;
    try {
      token = typeof this._s.token === 'function' ? await this._s.token() : this._s.token;
      if (token !== undefined && token !== null && typeof token !== 'string') {
        throw new TypeError('the token function must return a string');
      }
    } catch (e) {
      if (generation !== this._generation || this.state === 'closed') return;
      this._failedHandshakes++;
      this._afterClose({ code: 1006, reason: `token unavailable: ${e?.message ?? e}`, cause: 'token', opened: false });
      return;
    }
    if (generation !== this._generation || this.state === 'closed') return;
    let ws;
    try {
      ws = this._createSocket(token ?? undefined);
    } catch (e) {
      this._failedHandshakes++;
      this._afterClose({ code: 1006, reason: `could not open: ${e?.message ?? e}`, cause: 'handshake', opened: false });
      return;
    }
    this._ws = ws;
    let welcomed = false;
    const connectTimer = this._timer(() => {
      if (this._ws !== ws || welcomed) return;
      this._abandon(ws, 'connect_timeout', `no welcome within ${this._s.connectTimeout} ms`, false);
    }, this._s.connectTimeout);
    ws.onmessage = (event) => {
      if (this._ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(typeof event.data === 'string' ? event.data : String(event.data));
      } catch {
        return; // Not a protocol frame; the server only sends JSON text.
      }
      if (frame === null || typeof frame !== 'object') return;
      if (frame.type === 'welcome' && !welcomed) {
        welcomed = true;
        this._clearTimer(connectTimer);
        this._onWelcome(ws, frame);
        return;
      }
      this._onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this._ws !== ws) return;
      this._clearTimer(connectTimer);
      this._detach();
      if (!welcomed) this._failedHandshakes++;
      const code = typeof event.code === 'number' ? event.code : 1006;
      this._afterClose({ code, reason: event.reason ?? '', cause: welcomed ? 'closed' : 'handshake', opened: welcomed });
    };
    ws.onerror = ignore; // The close event that follows carries what the client can act on.
  }

  _createSocket(token) {
    const s = this._s;
    let url = s.url;
    let options;
    if (token !== undefined && token !== '') {
      if (s.tokenPlacement === 'header') {
        options = { headers: { [s.tokenHeader]: `Bearer ${token}` } };
      } else {
        const u = new URL(s.url);
        u.searchParams.set(s.tokenQueryParameter, token);
        url = u.toString();
      }
    }
    return options === undefined ? new s.WebSocket(url) : new s.WebSocket(url, [], options);
  }

  _onWelcome(ws, frame) {
    this.connectionId = typeof frame.connection === 'string' ? frame.connection : null;
    this.user = typeof frame.user === 'string' ? frame.user : null;
    this._failedHandshakes = 0;
    this._openedAt = Date.now();
    this._setState('connected', { connection: this.connectionId, user: this.user });
    this._emit('welcome', frame);
    if (this._ws !== ws) return; // A listener closed the client.
    for (const sub of this._subs.values()) {
      if (sub.state === 'joining' || sub.state === 'joined') this._join(sub);
    }
    this._schedulePing(ws);
  }

  _schedulePing(ws) {
    if (!this._s.ping) return;
    this._pingTimer = this._timer(() => {
      if (this._ws !== ws) return;
      this._request({ type: 'ping' }, this._s.ping.timeout).then(
        () => this._ws === ws && this._schedulePing(ws),
        (e) => {
          if (this._ws === ws && e.code === 'timeout') {
            this._abandon(ws, 'ping_timeout', `no pong within ${this._s.ping.timeout} ms`, true);
          }
        },
      );
    }, this._s.ping.interval);
  }

  /** Gives up on a connection the client considers dead, without waiting for its close. */
  _abandon(ws, cause, reason, opened) {
    this._detach();
    try {
      if (typeof ws.terminate === 'function') ws.terminate(); // ws: drop the TCP connection now
      else ws.close(ABANDONED_CLOSE_CODE, cause);
    } catch {
      // Already closed.
    }
    if (!opened) this._failedHandshakes++;
    this._afterClose({ code: 1006, reason, cause, opened });
  }

  /** Forgets the current socket: nothing it delivers later reaches a subscription. */
  _detach() {
    const ws = this._ws;
    this._ws = null;
    this.connectionId = null;
    if (this._pingTimer !== null) {
      this._clearTimer(this._pingTimer);
      this._pingTimer = null;
    }
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      // Not null: ws reports closing a socket that never opened as an 'error' event, and an
      // EventEmitter with no error listener throws it.
      ws.onerror = ignore;
    }
    this._rejectPending(new ThreadwireError('not_connected', 'the connection closed'));
    for (const sub of this._subs.values()) {
      if (sub.state === 'joined') sub.state = 'joining';
    }
  }

  _afterClose({ code, reason, cause, opened }) {
    if (this.state === 'closed') return;
    const r = this._s.reconnect;
    // A connection that never got its welcome was refused (HTTP 403/404), could not be reached, or
    // failed before the server took it: retried with a growing backoff, a bounded number of times.
    let policy = opened ? closePolicy(code) : 'handshake';
    if (policy === 'handshake' && this._failedHandshakes >= r.maxFailedHandshakes) policy = 'stop';
    if (policy === 'stop') {
      const why = opened ? reason : `${this._failedHandshakes} handshakes in a row failed; last: ${reason}`;
      this._setState('closed', { code, reason: why, cause, reconnect: false });
      this._rejectPending(new ThreadwireError('closed', why));
      for (const t of this._timers) clearTimeout(t);
      this._timers.clear();
      return;
    }
    if (opened && policy === 'reconnect' && Date.now() - this._openedAt >= r.stableAfter) this._failures = 0;
    const delay = backoffDelay(this._failures, r, this._s.random);
    this._failures++;
    this._setState('disconnected', { code, reason, cause, reconnect: true, delay });
    this._reconnectTimer = this._timer(() => {
      this._reconnectTimer = null;
      if (this.state === 'disconnected') this._open();
    }, delay);
  }

  _clearReconnect() {
    if (this._reconnectTimer !== null) {
      this._clearTimer(this._reconnectTimer);
      this._reconnectTimer = null;
    }
  }

  _timer(fn, ms) {
    const t = setTimeout(() => {
      this._timers.delete(t);
      fn();
    }, ms);
    this._timers.add(t);
    return t;
  }

  _clearTimer(t) {
    clearTimeout(t);
    this._timers.delete(t);
  }

  // --- frames -------------------------------------------------------------------------------------

  _send(frame) {
    const ws = this._ws;
    if (!ws || this.state !== 'connected') return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Sends `frame` with a fresh `ref` and returns the reply's promise. `onReply(frame, error)` runs
   * synchronously when the reply arrives, before any later frame is handled: a `joined` must be
   * applied before the replayed messages right behind it (ws delivers a batch of frames without a
   * microtask in between).
   */
  _request(frame, timeout, onReply) {
    if (this.state !== 'connected' || !this._ws) {
      return Promise.reject(new ThreadwireError('not_connected', 'not connected'));
    }
    const ref = `r${this._nextRef++}`;
    return new Promise((resolve, reject) => {
      const timer = this._timer(() => {
        this._pending.delete(ref);
        reject(new ThreadwireError('timeout', `no reply to ${frame.type} within ${timeout} ms`, { ref }));
      }, timeout);
      this._pending.set(ref, { resolve, reject, timer, onReply });
      if (!this._send({ ...frame, ref })) {
        this._clearTimer(timer);
        this._pending.delete(ref);
        reject(new ThreadwireError('not_connected', 'not connected', { ref }));
      }
    });
  }

  _rejectPending(error) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) {
      this._clearTimer(p.timer);
      p.reject(error);
    }
  }

  _settle(frame) {
    if (typeof frame.ref !== 'string') return undefined;
    const p = this._pending.get(frame.ref);
    if (!p) return undefined;
    this._pending.delete(frame.ref);
    this._clearTimer(p.timer);
    return p;
  }

  _onFrame(frame) {
    switch (frame.type) {
      case 'message': {
        const sub = this._subs.get(frame.thread);
        if (sub) sub._onMessage(frame);
        return;
      }
      case 'gap': {
        const sub = this._subs.get(frame.thread);
        if (sub) sub._onGap(frame);
        return;
      }
      case 'joined':
      case 'left':
      case 'pong': {
        const p = this._settle(frame);
        if (!p) return; // A reply to a request given up on (timed out, or its connection closed).
        p.onReply?.(frame, null);
        p.resolve(frame);
        return;
      }
      case 'error': {
        const error = new ThreadwireError(
          typeof frame.code === 'string' ? frame.code : 'unknown',
          typeof frame.reason === 'string' ? frame.reason : '',
          { thread: frame.thread, ref: frame.ref },
        );
        const p = this._settle(frame);
        if (!p) {
          this._emit('error', error);
          return;
        }
        p.onReply?.(null, error);
        p.reject(error);
        return;
      }
      default:
        return; // Newer servers may send frames this client does not know; ignore them.
    }
  }

  _join(sub) {
    const ws = this._ws;
    const { since, epoch } = sub.position();
    const frame = { type: 'join', thread: sub.thread };
    if (since !== undefined) frame.since = since;
    if (since !== undefined && epoch !== undefined) frame.epoch = epoch;
    sub.state = 'joining';
    const current = () => this._subs.get(sub.thread) === sub && this._ws === ws;
    this._request(frame, this._s.requestTimeout, (joined, error) => {
      if (!current()) return;
      if (joined) sub._onJoined(joined);
      else this._joinFailed(sub, ws, error);
    }).catch((error) => {
      if (error.code === 'timeout' && current()) this._joinFailed(sub, ws, error);
    });
  }

  _joinFailed(sub, ws, error) {
    if (error.code === 'timeout') {
      // A server that does not answer a join is not serving this connection: start over.
      sub._emit('onError', error);
      this._abandon(ws, 'request_timeout', error.reason, true);
      return;
    }
    if (RETRYABLE_JOIN_ERRORS.has(error.code)) {
      sub._emit('onError', error);
      const delay = backoffDelay(sub._retries++, this._s.reconnect, this._s.random);
      this._timer(() => {
        if (this._subs.get(sub.thread) === sub && this._ws === ws && sub.state === 'joining') this._join(sub);
      }, delay);
      return;
    }
    this._subs.delete(sub.thread);
    sub._fail(error);
  }

  _leave(sub) {
    if (this._subs.get(sub.thread) !== sub) return Promise.resolve();
    this._subs.delete(sub.thread);
    const wasJoined = sub.state === 'joined' || sub.state === 'joining';
    sub.state = 'left';
    if (!wasJoined || this.state !== 'connected') return Promise.resolve();
    return this._request({ type: 'leave', thread: sub.thread }, this._s.requestTimeout).then(
      () => undefined,
      (error) => {
        if (error.code === 'not_connected') return undefined; // The connection is in no thread now.
        throw error;
      },
    );
  }
}
