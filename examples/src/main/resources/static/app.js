'use strict';

// The demo page: one subscription at a time, over a WebSocket (tyrus transport) or a
// server-sent event stream (inmemory transport). Both deliver the same JSON frames:
// {type:"joined", thread, epoch, offset, recovered, replayed, missed} and
// {type:"message", thread, offset, id, payload | text, metadata}.

const $ = (id) => document.getElementById(id);
const state = { endpoint: null, thread: null, lastOffset: null, epoch: null, conn: null, joined: false };

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

function onFrame(frame) {
  switch (frame.type) {
    case 'joined':
      state.joined = true;
      // A new epoch means the server lost the history the old offsets belong to: start over.
      if (state.epoch !== null && frame.epoch !== state.epoch) setLastOffset(null);
      state.epoch = frame.epoch;
      setStatus('connected');
      $('joined').textContent = `${frame.thread}: epoch ${frame.epoch}, offset ${frame.offset}, ` +
        `recovered ${frame.recovered}, replayed ${frame.replayed}, missed ${frame.missed}`;
      $('joined').dataset.recovered = String(frame.recovered);
      $('joined').dataset.missed = String(frame.missed);
      break;
    case 'message': {
      if (frame.offset > 0 && state.lastOffset !== null && frame.offset <= state.lastOffset) return;
      // A JSON object or array payload arrives as `payload`, anything else as the string `text`.
      const payload = frame.payload !== undefined ? frame.payload : frame.text;
      const type = (payload && payload.type) || (frame.metadata && frame.metadata.type) || 'message';
      const li = document.createElement('li');
      li.className = 'message';
      li.dataset.offset = String(frame.offset);
      li.dataset.type = type;
      li.dataset.id = frame.id;
      const off = document.createElement('span');
      off.className = 'offset';
      off.textContent = frame.offset > 0 ? `#${frame.offset}` : '(live)';
      const t = document.createElement('span');
      t.className = 'type';
      t.textContent = type;
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = summary(payload);
      li.append(off, ' ', t, ' ', text);
      $('messages').append(li);
      if (frame.offset > 0) setLastOffset(frame.offset);
      break;
    }
    case 'error':
      $('outcome').textContent = `server error frame: ${frame.code}: ${frame.reason}`;
      break;
    default:
      break;
  }
}

function disconnect() {
  if (state.conn) state.conn.close();
  state.conn = null;
  state.joined = false;
  setStatus('disconnected');
}

// since: the last offset seen (null = live only); epoch: the history it belongs to, so a
// reconnect after the server lost its history (a restart) is told about the gap.
function join(since, epoch) {
  disconnect();
  state.thread = $('thread').value.trim();
  setStatus('connecting');
  const ep = state.endpoint;
  if (ep.kind === 'websocket') {
    const ws = new WebSocket(ep.url);
    ws.onopen = () => {
      const frame = { type: 'join', thread: state.thread };
      if (since !== null) frame.since = since;
      if (since !== null && epoch != null) frame.epoch = epoch;
      ws.send(JSON.stringify(frame));
    };
    ws.onmessage = (e) => onFrame(JSON.parse(e.data));
    ws.onclose = () => { if (state.conn === ws) disconnect(); };
    state.conn = ws;
  } else {
    let url = ep.url.replace('{thread}', encodeURIComponent(state.thread));
    if (since !== null) url += `?since=${since}` + (epoch != null ? `&epoch=${epoch}` : '');
    const es = new EventSource(url);
    es.addEventListener('joined', (e) => onFrame(JSON.parse(e.data)));
    es.addEventListener('message', (e) => onFrame(JSON.parse(e.data)));
    // EventSource would reconnect by itself with the old since; reconnecting is the user's call.
    es.onerror = () => { if (state.conn === es) disconnect(); };
    state.conn = es;
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
    ? `WebSocket ${cfg.endpoint.url}` : 'in-memory (server-sent events)';
  $('join').onclick = () => { $('messages').replaceChildren(); setLastOffset(null); join(0); };
  $('disconnect').onclick = disconnect;
  $('reconnect').onclick = () =>
    join(state.lastOffset === null ? 0 : state.lastOffset, state.lastOffset === null ? null : state.epoch);
  $('send').onclick = () => post(`${threadPath()}/messages`, { type: 'chat', text: $('send-text').value });
  $('agent-run').onclick = () => post(`${threadPath()}/agent-runs`, { prompt: $('send-text').value });
  join(0);
}

init();
