// Type declarations of threadwire-client, written by hand beside threadwire-client.js and
// checked by `tsc --noEmit` against the tests' use of the API.

/** The protocol version this client speaks (adapter-tyrus/PROTOCOL.md). */
export declare const PROTOCOL_VERSION: 1;

/** The close code the client sends when it abandons a connection it considers dead. */
export declare const ABANDONED_CLOSE_CODE: 4000;

/** The part of the WHATWG WebSocket the client uses; the browser's and the `ws` package's fit. */
export interface WebSocketLike {
  /** Set by the client to `(event: {data}) => void`, then to null when it lets go. */
  onmessage: unknown;
  /** Set by the client to `(event: {code, reason}) => void`. */
  onclose: unknown;
  onerror: unknown;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the TCP connection at once; used when a connection is declared dead. */
  terminate?(): void;
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `ws`'s `WebSocket` in Node. */
export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[], options?: { headers?: Record<string, string> }): WebSocketLike;
}

/** The access token, or a function called on every (re)connect that returns a fresh one. */
export type TokenSource = string | (() => string | Promise<string>);

/** Reconnect timing: full-jitter exponential backoff. */
export interface ReconnectOptions {
  /** The backoff ceiling of the first attempt, in ms (default 500). */
  initialDelay?: number;
  /** The largest backoff ceiling, in ms (default 30000). */
  maxDelay?: number;
  /** How much the ceiling grows per failed attempt (default 2). */
  multiplier?: number;
  /** A connection open this long, closed with a reconnect code, resets the backoff (default 10000 ms). */
  stableAfter?: number;
  /** Handshakes in a row that fail (refused or unreachable) before the client gives up (default 20). */
  maxFailedHandshakes?: number;
}

/** The application ping that detects a dead connection. */
export interface PingOptions {
  /** Time between pings on a connected connection, in ms (default 20000). */
  interval?: number;
  /** A ping without a pong for this long abandons the connection, in ms (default 10000). */
  timeout?: number;
}

/** Options of {@link ThreadwireClient}. */
export interface ClientOptions {
  /** The server's endpoint, `ws://host:port/threads` or `wss://...`. */
  url: string;
  /** The access token; absent: none is sent. */
  token?: TokenSource;
  /** Where the token goes: the query parameter (default; works everywhere) or a header (Node's `ws` only). */
  tokenPlacement?: 'query' | 'header';
  /** The token's query parameter (default `access_token`). */
  tokenQueryParameter?: string;
  /** The token's header, sent as `Bearer <token>` (default `Authorization`). */
  tokenHeader?: string;
  /** The WebSocket implementation (default `globalThis.WebSocket`; Node 20 has none: pass `ws`). */
  WebSocket?: WebSocketConstructor;
  /** How long a join, leave or ping waits for its reply, in ms (default 10000). */
  requestTimeout?: number;
  /** How long a connection may take to deliver the server's `welcome`, in ms (default 10000). */
  connectTimeout?: number;
  reconnect?: ReconnectOptions;
  /** `false` turns the liveness ping off. */
  ping?: PingOptions | false;
  /** The random source of the backoff jitter, returning [0, 1) (default `Math.random`). */
  random?: () => number;
}

/** Why a connection ended, as the client saw it. */
export type DisconnectCause =
  | 'closed'
  | 'handshake'
  | 'token'
  | 'ping_timeout'
  | 'connect_timeout'
  | 'request_timeout'
  | 'client';

export type ClientState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

/** A `state` event: what changed, and on `disconnected` and `closed`, why. */
export interface StateEvent {
  state: ClientState;
  /** `connecting`: the attempt number since the last successful connection, from 1. */
  attempt?: number;
  /** `connected`: the server's connection id and the authenticated user. */
  connection?: string | null;
  user?: string | null;
  /** `disconnected`, `closed`: the WebSocket close code (1006 when there was none). */
  code?: number;
  reason?: string;
  cause?: DisconnectCause;
  /** `disconnected`: true, and the delay in ms before the next attempt. */
  reconnect?: boolean;
  delay?: number;
}

/** The server's `welcome` frame. */
export interface Welcome {
  type: 'welcome';
  connection: string;
  user: string;
  protocol: number;
}

/** A server `error` frame, or a request the client gave up on. */
export declare class ThreadwireError extends Error {
  constructor(code: string, reason: string, details?: { thread?: string; ref?: string; cause?: unknown });
  /** Stable: a server code (`forbidden_thread`, `invalid_thread`, ...) or `timeout`, `not_connected`, `closed`, `handler_error`. */
  readonly code: string;
  readonly reason: string;
  readonly thread?: string;
  readonly ref?: string;
}

/** A `joined` reply, as seen by a subscription. */
export interface JoinedInfo {
  thread: string;
  epoch: number;
  offset: number;
  recovered: boolean;
  replayed: number;
  missed: number;
  /** False for the subscription's first join, true for every rejoin after a reconnect. */
  rejoin: boolean;
  /** True when the thread's epoch is not the one the subscription knew (history lost). */
  epochChanged: boolean;
}

/** A message of a subscribed thread. Exactly one of `payload` and `text` is present. */
export interface ThreadMessage {
  thread: string;
  epoch: number;
  /** The offset in the thread; 0 for a transient message (never stored, never deduplicated). */
  offset: number;
  id: string;
  /** True for a message replayed from history right after a join. */
  replayed: boolean;
  /** The payload when it is one JSON object or array. */
  payload?: unknown;
  /** The payload as text otherwise. */
  text?: string;
  metadata: Record<string, string>;
}

export interface MissedInfo {
  thread: string;
  /**
   * How many messages could not be delivered, as far as the server (or the gap) tells; 0 with
   * reason `lost` when only transient messages (which have no offset) were lost, or when a new
   * epoch started.
   */
  missed: number;
  epochChanged: boolean;
  /**
   * `history`: a join could not replay everything; `gap`: a live offset skipped ahead; `lost`: the
   * server said (its `gap` frame) that messages were lost and can never be delivered, or that the
   * history restarted in a new epoch (then `onEpochChange` came first).
   */
  reason: 'history' | 'gap' | 'lost';
}

export interface RecoveredInfo {
  thread: string;
  replayed: number;
}

export interface EpochChangeInfo {
  thread: string;
  previousEpoch: number;
  epoch: number;
  /** The last offset delivered in the previous epoch. */
  lastOffset: number | null;
}

/** Callbacks of one subscription; every one is optional. */
export interface SubscriptionHandlers {
  onMessage?(message: ThreadMessage, subscription: Subscription): void;
  onJoined?(info: JoinedInfo, subscription: Subscription): void;
  onRecovered?(info: RecoveredInfo, subscription: Subscription): void;
  onMissed?(info: MissedInfo, subscription: Subscription): void;
  onEpochChange?(info: EpochChangeInfo, subscription: Subscription): void;
  onError?(error: ThreadwireError, subscription: Subscription): void;
}

/** Where a subscription's first join starts. */
/**
 * Where a first join starts. A saved position carries the epoch its offset belongs to: without it
 * the server cannot tell which history the offset is of (PROTOCOL.md, `join`).
 */
export type JoinFrom = 'live' | 'start' | { epoch: number; offset: number } | { offset: 0 };

export interface SubscribeOptions {
  /** `live` (default): from now on; `start`: all retained history; or after a saved position. */
  from?: JoinFrom;
}

/** One subscribed thread. */
export declare class Subscription {
  private constructor();
  readonly thread: string;
  /** The epoch of the last `joined`, null before the first. */
  readonly epoch: number | null;
  /** The last stored offset delivered (or joined at), null before the first `joined`. */
  readonly offset: number | null;
  readonly state: 'joining' | 'joined' | 'left' | 'failed';
  /** Resolves with the first `joined`; rejects if the server refuses the thread for good. */
  readonly ready: Promise<JoinedInfo>;
  /** Where the next join starts. */
  position(): { since?: number; epoch?: number };
  /** Leaves the thread; nothing of it is delivered after the call. */
  leave(): Promise<void>;
}

export interface ClientEvents {
  state: StateEvent;
  welcome: Welcome;
  error: ThreadwireError;
}

/** A Threadwire connection that reconnects and recovers every subscribed thread. */
export declare class ThreadwireClient {
  constructor(options: ClientOptions);
  readonly state: ClientState;
  readonly connectionId: string | null;
  readonly user: string | null;
  on<E extends keyof ClientEvents>(event: E, listener: (value: ClientEvents[E]) => void): () => void;
  connect(): void;
  close(): void;
  subscribe(thread: string, handlers?: SubscriptionHandlers, options?: SubscribeOptions): Subscription;
  subscription(thread: string): Subscription | undefined;
  /** Resolves with the round trip in ms. */
  ping(): Promise<number>;
}

/** What the client does after an open connection closes with `code`. */
export declare function closePolicy(code: number): 'reconnect' | 'reconnect-slowly' | 'stop';

/** The full-jitter backoff delay before attempt `failures`. */
export declare function backoffDelay(
  failures: number,
  options: { initialDelay: number; maxDelay: number; multiplier: number },
  random?: () => number,
): number;
