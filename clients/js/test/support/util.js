// Small helpers shared by the tests: collect what a subscription delivers, wait for a condition
// (polling, with a deadline: the condition is the synchronisation, never a sleep), wait for a state.

export function collector() {
  const got = { messages: [], joined: [], recovered: [], missed: [], epochs: [], errors: [] };
  got.handlers = {
    onMessage: (m) => got.messages.push(m),
    onJoined: (i) => got.joined.push(i),
    onRecovered: (i) => got.recovered.push(i),
    onMissed: (i) => got.missed.push(i),
    onEpochChange: (i) => got.epochs.push(i),
    onError: (e) => got.errors.push(e),
  };
  got.offsets = () => got.messages.map((m) => m.offset);
  return got;
}

export async function eventually(condition, { timeout = 20000, interval = 10, message } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms: ${message ?? condition}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Resolves with the next state event named `state` (or at once if already in it and `now`). */
export function nextState(client, state, { timeout = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${state} state within ${timeout} ms (state ${client.state})`));
    }, timeout);
    const off = client.on('state', (e) => {
      if (e.state === state) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

export function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
