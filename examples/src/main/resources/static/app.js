// The demo page: one subscription at a time. With the tyrus transport it uses the
// threadwire-client package (clients/js, copied here at build time and served as
// /threadwire-client.js): it reconnects by itself, rejoins with since and epoch, drops duplicates
// and reports an epoch change, on which the page starts the thread's list over. With the
// inmemory transport it reads a server-sent event stream with the same frames, by hand.

import { ThreadwireClient } from '/threadwire-client.js';

const $ = (id) => document.getElementById(id);
// lastOffset and epoch: the position the page has shown, for the Reconnect button.
const state = { endpoint: null, thread: null, lastOffset: null, epoch: null, client: null, es: null };

function setStatus(text) {
  const el = $('status');
  el.textContent = text;
  el.className = text;
}

function setLastOffset(offset) {
  state.lastOffset = offset;
  $('last-offset').textContent = offset === null ? 'none' : String(offset);
}

function summary(payload) {
  if (payload === null || typeof payload !== 'object') return String(payload);
  if (payload.tool) {
    return payload.result ? `${payload.tool} -> ${payload.result}` : `${payload.tool}(${payload.input})`;
  }
  return payload.text || payload.prompt || payload.answer || JSON.stringify(payload);
}

function showJoined(info) {
  state.epoch = info.epoch;
  setStatus('connected');
  $('joined').textContent = `${info.thread}: epoch ${info.epoch}, offset ${info.offset}, ` +
    `recovered ${info.recovered}, replayed ${info.replayed}, missed ${info.missed}`;
  $('joined').dataset.recovered = String(info.recovered);
  $('joined').dataset.missed = String(info.missed);
}

// The server lost the history the shown offsets belong to (a restart): start the list over.
function startOver(previousEpoch, epoch) {
  $('messages').replaceChildren();
  setLastOffset(null);
  $('notice').textContent = `history epoch changed (${previousEpoch} -> ${epoch}): ` +
    'the server lost its history, the list starts over';
}

function showMessage(m) {
  // A JSON object or array payload arrives as `payload`, anything else as the string `text`.
  const payload = m.payload !== undefined ? m.payload : m.text;
  const type = (payload && payload.type) || (m.metadata && m.metadata.type) || 'message';
  const li = document.createElement('li');
  li.className = m.replayed ? 'message replayed' : 'message';
  li.dataset.offset = String(m.offset);
  li.dataset.epoch = String(m.epoch);
  li.dataset.type = type;
  li.dataset.id = m.id;
  const off = document.createElement('span');
  off.className = 'offset';
  off.textContent = m.offset > 0 ? `#${m.offset}` : '(live)';
  const t = document.createElement('span');
  t.className = 'type';
  t.textContent = type;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = summary(payload);
  li.append(off, ' ', t, ' ', text);
  $('messages').append(li);
  if (m.offset > 0) setLastOffset(m.offset);
  state.epoch = m.epoch;
}

function showError(e) {
  $('outcome').textContent = `server error frame: ${e.code}: ${e.reason}`;
}

function disconnect() {
  if (state.client) state.client.close();
  if (state.es) state.es.close();
  state.client = null;
  state.es = null;
  setStatus('disconnected');
}

// from: 'start', or {epoch, offset} to recover after a position shown earlier.
function subscribeWebSocket(from) {
  const client = new ThreadwireClient({
    url: state.endpoint.url,
    // A demo restarts quickly: retry soon, and never wait more than 5 s.
    reconnect: { initialDelay: 250, maxDelay: 5000 },
  });
  client.on('state', (e) => {
    if (state.client !== client) return;
    if (e.state === 'connecting' || e.state === 'disconnected' || e.state === 'closed') setStatus(e.state);
    if (e.state === 'disconnected') $('notice').textContent = `connection closed (${e.code}), reconnecting in ${e.delay} ms`;
  });
  client.on('error', showError);
  client.subscribe(state.thread, {
    onJoined: showJoined,
    onMessage: showMessage,
    onEpochChange: (i) => startOver(i.previousEpoch, i.epoch),
    onError: showError,
  }, { from });
  state.client = client;
  client.connect();
}

function subscribeEventStream(since, epoch) {
  let url = state.endpoint.url.replace('{thread}', encodeURIComponent(state.thread));
  if (since !== null) url += `?since=${since}` + (epoch != null ? `&epoch=${epoch}` : '');
  const es = new EventSource(url);
  const known = { epoch };
  es.addEventListener('joined', (e) => {
    const f = JSON.parse(e.data);
    if (known.epoch != null && f.epoch !== known.epoch) startOver(known.epoch, f.epoch);
    known.epoch = f.epoch;
    state.epoch = f.epoch;
    showJoined(f);
  });
  es.addEventListener('message', (e) => {
    const f = JSON.parse(e.data);
    if (f.offset > 0 && state.lastOffset !== null && f.offset <= state.lastOffset) return;
    showMessage({ ...f, replayed: false, metadata: f.metadata || {} });
  });
  // EventSource would reconnect by itself with the old since; reconnecting is the user's call.
  es.onerror = () => { if (state.es === es) disconnect(); };
  state.es = es;
}

function join(since, epoch) {
  disconnect();
  state.thread = $('thread').value.trim();
  setStatus('connecting');
  if (state.endpoint.kind === 'websocket') {
    subscribeWebSocket(since === null || since === 0 ? 'start' : { epoch: epoch ?? undefined, offset: since });
  } else {
    subscribeEventStream(since, epoch);
  }
}

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  $('outcome').textContent = `HTTP ${res.status}\n` + JSON.stringify(await res.json(), null, 2);
}

function threadPath() {
  return `/api/threads/${encodeURIComponent($('thread').value.trim())}`;
}

async function init() {
  const params = new URLSearchParams(location.search);
  if (params.get('thread')) $('thread').value = params.get('thread');
  const cfg = await (await fetch('/api/config')).json();
  state.endpoint = cfg.endpoint;
  $('transport').textContent = cfg.endpoint.kind === 'websocket'
    ? `WebSocket ${cfg.endpoint.url} (threadwire-client)` : 'in-memory (server-sent events)';
  $('join').onclick = () => { $('messages').replaceChildren(); setLastOffset(null); join(0, null); };
  $('disconnect').onclick = disconnect;
  $('reconnect').onclick = () =>
    join(state.lastOffset === null ? 0 : state.lastOffset, state.lastOffset === null ? null : state.epoch);
  $('send').onclick = () => post(`${threadPath()}/messages`, { type: 'chat', text: $('send-text').value });
  $('agent-run').onclick = () => post(`${threadPath()}/agent-runs`, { prompt: $('send-text').value });
  join(0, null);
}

init();
