// Replay controls (issue 7): replays the chart's instrument over a period through POST /api/v1/replays and shows the
// replay's bars (WebSocket channel replay:<id>:bars, replay_bar frames) instead of the live ones, under a REPLAY
// badge, until the replay ends or is cancelled; then the chart returns to live. A replay belongs to the API key that
// creates it: the key of the order ticket (kept in this browser) is sent with every call, and the replay is watched
// on a WebSocket of its own opened with that key. Uses the hooks app.js exposes on window.tickloom (state,
// setBarSource, replayBar).
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const box = $('replay-controls');
  if (!box || !window.tickloom) return;
  const app = window.tickloom;
  const SPEEDS = ['1', '10', '100', 'max'];

  const r = {
    id: null,        // the running replay, or null
    token: null,     // its instrument and timeframe: a change of either on the page ends it
    tf: null,
    state: null,     // RUNNING, PAUSED, ...
    last: null,      // the last replay that ended: {id, state, bars}
    ws: null,        // the replay's own WebSocket (opened with the key)
  };
  const KEY_STORAGE = 'tickloom.orders.key'; // the order ticket's key (orders.js)

  function apiKey() {
    const typed = $('ot-key') ? $('ot-key').value.trim() : '';
    if (typed) return typed;
    try { return localStorage.getItem(KEY_STORAGE) || ''; } catch (e) { return ''; }
  }

  box.innerHTML =
    '<span class="replay-badge hidden" id="replay-badge" title="The chart shows a replay, not live data">REPLAY</span>' +
    '<label>From<input type="datetime-local" step="1" id="replay-from"></label>' +
    '<label>To<input type="datetime-local" step="1" id="replay-to"></label>' +
    '<label>Speed<select id="replay-speed">' + SPEEDS.map(s => '<option value="' + s + '">' + (s === 'max' ? 'max' : s + '×') + '</option>').join('') +
    '</select></label>' +
    '<button type="button" id="replay-start">Replay</button>' +
    '<button type="button" id="replay-pause" disabled>Pause</button>' +
    '<button type="button" id="replay-cancel" disabled>Cancel</button>' +
    '<span class="replay-status muted" id="replay-status"></span>';

  // datetime-local works in the browser's time zone, without one: render and read it so.
  const pad = (n) => String(n).padStart(2, '0');
  function toLocalInput(ms) {
    const d = new Date(ms);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' +
      pad(d.getSeconds());
  }
  function defaultRange() { // the last hour
    const now = Date.now();
    $('replay-from').value = toLocalInput(now - 3600 * 1000);
    $('replay-to').value = toLocalInput(now);
  }
  defaultRange();

  function status(text) {
    $('replay-status').textContent = text;
  }

  function render() {
    const running = r.id !== null;
    $('replay-badge').classList.toggle('hidden', !running);
    $('replay-start').disabled = running;
    $('replay-pause').disabled = !running;
    $('replay-cancel').disabled = !running;
    $('replay-pause').textContent = r.state === 'PAUSED' ? 'Resume' : 'Pause';
    box.classList.toggle('replaying', running);
  }

  async function call(method, path, body) {
    const headers = { 'X-API-Key': apiKey() };
    if (body) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const field = json.errors && json.errors.length ? json.errors[0].field + ': ' + json.errors[0].reason : '';
      throw new Error(field || json.detail || json.title || ('HTTP ' + res.status));
    }
    return json;
  }

  async function start() {
    const s = app.state;
    if (!s.instrument || r.id) return;
    const from = new Date($('replay-from').value).getTime();
    const to = new Date($('replay-to').value).getTime();
    if (!(from < to)) { status('from must be before to'); return; }
    const speed = $('replay-speed').value;
    if (!apiKey()) { status('replays need an API key: enter yours in the order ticket'); return; }
    try {
      const created = await call('POST', '/api/v1/replays', { tokens: [s.instrument.token], from: from, to: to,
        speed: speed === 'max' ? 'max' : Number(speed), tf: s.tf });
      r.id = created.id;
      r.token = s.instrument.token;
      r.tf = s.tf;
      r.state = created.state;
      app.setBarSource(r.id);
      watch(r.id);
      status('replaying ' + s.instrument.symbol + ' ' + s.tf + ' at ' + (speed === 'max' ? 'max' : speed + '×'));
      render();
    } catch (e) {
      status('replay refused: ' + e.message);
    }
  }

  async function pauseOrResume() {
    if (!r.id) return;
    const id = r.id;
    try {
      const st = await call('POST', '/api/v1/replays/' + id + (r.state === 'PAUSED' ? '/resume' : '/pause'));
      if (r.id !== id) return;
      r.state = st.state;
      status(st.state === 'PAUSED' ? 'paused at ' + new Date(st.position).toLocaleTimeString() : 'replaying');
      render();
    } catch (e) {
      status(e.message);
    }
  }

  async function cancel() {
    if (!r.id) return;
    const id = r.id;
    try {
      const st = await call('DELETE', '/api/v1/replays/' + id);
      finish(id, st.state);
    } catch (e) {
      finish(id, 'CANCELLED');
    }
  }

  // The replay ended (its replay_end frame, or the answer to cancel): back to live. The server ends the channel itself
  // after replay_end (a cancelled session sends one too), so there is nothing to unsubscribe.
  function finish(id, state) {
    if (r.id !== id) return;
    r.last = { id: id, state: state, bars: app.state.bars.slice() };
    r.id = null;
    r.state = null;
    if (r.ws) { r.ws.close(); r.ws = null; }
    app.setBarSource(null);
    status('replay ' + state.toLowerCase() + ' (' + r.last.bars.length + ' bars) · live');
    render();
  }

  // The replay's own connection, with the key: bars only (and the end); the session starts producing once it attaches.
  function watch(id) {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?key=' + encodeURIComponent(apiKey());
    const ws = new WebSocket(url);
    r.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ action: 'subscribe', channels: ['replay:' + id + ':bars'] }));
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === 'error') status('replay: ' + m.message);
      else onMessage(m);
    };
    ws.onclose = () => { if (r.ws === ws) r.ws = null; };
  }

  function onMessage(m) {
    if (!r.id || m.replay !== r.id) return;
    if (m.type === 'replay_bar') app.replayBar(m);
    else if (m.type === 'replay_end') finish(r.id, m.state);
  }

  $('replay-start').addEventListener('click', start);
  $('replay-pause').addEventListener('click', pauseOrResume);
  $('replay-cancel').addEventListener('click', cancel);
  // Another instrument or timeframe on the page (app.js writes both into the hash) ends the replay.
  window.addEventListener('hashchange', () => {
    if (r.id && (!app.state.instrument || app.state.instrument.token !== r.token || app.state.tf !== r.tf)) cancel();
  });

  // for the console and the dashboard's browser test
  window.tickloomReplay = { onMessage: onMessage, state: r };
  render();
})();
