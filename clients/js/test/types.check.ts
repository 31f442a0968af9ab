// Compiled by `tsc --noEmit` (npm run typecheck), never run: it uses the API the way an
// application does, so a declaration that drifts from real use fails the build. Passing ws's
// WebSocket checks that the declared WebSocketConstructor fits the implementation Node users pass.
import { WebSocket } from 'ws';
import {
  ThreadwireClient,
  ThreadwireError,
  closePolicy,
  backoffDelay,
  type StateEvent,
  type ThreadMessage,
  type Subscription,
} from '../src/threadwire-client.js';

const client = new ThreadwireClient({
  url: 'ws://127.0.0.1:8025/threads',
  token: async () => 'fresh-token',
  tokenPlacement: 'header',
  WebSocket,
  reconnect: { initialDelay: 250, maxDelay: 10_000, stableAfter: 5_000, maxFailedHandshakes: 10 },
  ping: { interval: 15_000, timeout: 5_000 },
  requestTimeout: 5_000,
});

const off: () => void = client.on('state', (e: StateEvent) => {
  if (e.state === 'disconnected') console.log(e.code, e.reason, e.cause, e.delay);
});
off();
client.on('error', (e: ThreadwireError) => console.log(e.code, e.reason, e.thread));
client.on('welcome', (w) => console.log(w.connection, w.user, w.protocol));

const sub: Subscription = client.subscribe(
  'run-42',
  {
    onMessage(m: ThreadMessage) {
      const value: unknown = m.payload ?? m.text;
      console.log(m.offset, m.epoch, m.id, m.replayed, m.metadata['type'], value);
    },
    onJoined: (info) => console.log(info.recovered, info.replayed, info.missed, info.rejoin),
    onRecovered: (info) => console.log(info.replayed),
    onMissed: (info) => console.log(info.missed, info.reason === 'lost' ? 'lost on the server' : info.reason, info.epochChanged),
    onEpochChange: (info) => console.log(info.previousEpoch, info.epoch, info.lastOffset),
    onError: (e) => console.log(e.code),
  },
  { from: 'start' },
);
client.subscribe('run-43', {}, { from: { epoch: 7, offset: 12 } });
client.connect();

async function use(): Promise<void> {
  const joined = await sub.ready;
  const epoch: number = joined.epoch;
  const rtt: number = await client.ping();
  const saved = sub.position();
  await sub.leave();
  console.log(epoch, rtt, saved.since, closePolicy(1013), backoffDelay(3, { initialDelay: 1, maxDelay: 9, multiplier: 2 }));
  client.close();
}
void use();

// @ts-expect-error: the URL is required
new ThreadwireClient({});
// @ts-expect-error: only 'query' or 'header'
new ThreadwireClient({ url: 'ws://x', tokenPlacement: 'cookie' });
