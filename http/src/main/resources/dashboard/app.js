// Tickloom dashboard: plain JS, no build step. REST for the instrument list, one WebSocket for everything live.
(function () {
  'use strict';

  const TIMEFRAMES = ['1s', '5s', '15s', '1m', '3m', '5m', '15m', '30m', '1h', '1d'];
  const MAX_TICKS = 30;
  const MAX_BARS = 2000;

  const state = {
    instrument: null,      // selected instrument DTO
    tf: '1m',
    bars: [],              // [{start, open, high, low, close, volume, final}], oldest first
    ticks: [],             // newest first
    ws: null,
    connected: false,
    reconnectDelay: 500,
    dropped: 0,
    subscribed: null,      // {token, channels}
  };

  const $ = (id) => document.getElementById(id);
  const chart = echarts.init($('chart'), null, { renderer: 'canvas' });
  window.addEventListener('resize', () => chart.resize());

  // ---------- formatting ----------
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  function fmtTime(iso, withMillis) {
    const d = new Date(iso);
    const t = pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
    return withMillis ? t + '.' + pad(d.getMilliseconds(), 3) : t;
  }
  function fmtBarTime(iso) {
    const d = new Date(iso);
    if (state.tf === '1d') return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
    const hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
    return state.tf.endsWith('s') ? hm + ':' + pad(d.getSeconds()) : hm;
  }
  function fmtPrice(p) {
    if (p === undefined || p === null) return '';
    const scale = state.instrument ? state.instrument.priceScale : 2;
    return Number(p).toFixed(Math.min(scale, 8));
  }
  function fmtQty(q) {
    const scale = state.instrument ? state.instrument.qtyScale : 0;
    return Number(q).toFixed(Math.min(scale, 8));
  }

  function toast(msg) {
    const t = $('toast');
    t.textContent = msg;
    t.classList.remove('hidden');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => t.classList.add('hidden'), 4000);
  }

  // ---------- instruments ----------
  async function loadInstruments(query) {
    const url = '/api/v1/instruments?limit=200' + (query ? '&query=' + encodeURIComponent(query) : '');
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error((await res.json()).detail || res.statusText);
      const body = await res.json();
      renderInstrumentList(body.items);
      return body.items;
    } catch (e) {
      toast('Could not load instruments: ' + e.message);
      return [];
    }
  }

  function renderInstrumentList(items) {
    const ul = $('instrument-list');
    ul.innerHTML = '';
    for (const i of items) {
      const li = document.createElement('li');
      li.dataset.token = i.token;
      if (state.instrument && state.instrument.token === i.token) li.classList.add('selected');
      const sym = document.createElement('span');
      sym.className = 'sym';
      sym.textContent = i.symbol;
      sym.title = i.symbol;
      const ex = document.createElement('span');
      ex.className = 'ex';
      ex.textContent = i.exchange + ' · ' + i.kind;
      li.append(sym, ex);
      li.addEventListener('click', () => selectInstrument(i));
      ul.appendChild(li);
    }
    $('instrument-count').textContent = items.length ? '(' + items.length + ')' : '';
  }

  let searchTimer = null;
  $('instrument-search').addEventListener('input', (e) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => loadInstruments(e.target.value.trim()), 200);
  });

  function selectInstrument(i) {
    if (state.instrument && state.instrument.token === i.token) return;
    state.instrument = i;
    for (const li of $('instrument-list').children) li.classList.toggle('selected', Number(li.dataset.token) === i.token);
    $('q-symbol').textContent = i.symbol;
    $('q-meta').textContent = i.exchange + ' · ' + i.kind + ' · ' + i.token;
    $('q-last').textContent = '';
    $('q-change').textContent = '';
    state.bars = [];
    state.ticks = [];
    renderTicks();
    renderChart();
    location.hash = 'token=' + i.token + '&tf=' + state.tf;
    resubscribe();
  }

  // ---------- timeframe switcher ----------
  function renderTfSwitch() {
    const box = $('tf-switch');
    box.innerHTML = '';
    for (const tf of TIMEFRAMES) {
      const b = document.createElement('button');
      b.textContent = tf;
      b.dataset.tf = tf;
      if (tf === state.tf) b.classList.add('active');
      b.addEventListener('click', () => selectTimeframe(tf));
      box.appendChild(b);
    }
  }

  function selectTimeframe(tf) {
    if (tf === state.tf) return;
    state.tf = tf;
    for (const b of $('tf-switch').children) b.classList.toggle('active', b.dataset.tf === tf);
    state.bars = [];
    renderChart();
    if (state.instrument) location.hash = 'token=' + state.instrument.token + '&tf=' + tf;
    resubscribe();
  }

  // ---------- WebSocket ----------
  function setConn(s) {
    const el = $('conn-status');
    el.dataset.state = s;
    el.querySelector('b').textContent = s === 'open' ? 'live' : s;
  }

  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    const ws = new WebSocket(url);
    state.ws = ws;
    setConn('connecting');
    ws.onopen = () => {
      state.connected = true;
      state.reconnectDelay = 500;
      state.subscribed = null;
      setConn('open');
      resubscribe();
    };
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      onMessage(m);
    };
    ws.onclose = () => {
      state.connected = false;
      state.subscribed = null;
      setConn('closed');
      setTimeout(connect, state.reconnectDelay);
      state.reconnectDelay = Math.min(state.reconnectDelay * 2, 10000);
    };
  }

  function send(obj) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(obj));
  }

  // Keeps the connection subscribed to the selected instrument's ticks and selected timeframe's bars, changing
  // only what changed (a timeframe switch leaves the ticks subscription alone).
  function resubscribe() {
    if (!state.connected || !state.instrument) return;
    const token = state.instrument.token;
    const want = ['ticks', 'bars:' + state.tf];
    const had = state.subscribed;
    if (had && had.token === token) {
      const drop = had.channels.filter(c => !want.includes(c));
      const add = want.filter(c => !had.channels.includes(c));
      if (drop.length) send({ action: 'unsubscribe', channels: drop, tokens: [token] });
      if (add.length) send({ action: 'subscribe', channels: add, tokens: [token] });
    } else {
      if (had) send({ action: 'unsubscribe', channels: had.channels, tokens: [had.token] });
      send({ action: 'subscribe', channels: want, tokens: [token] });
    }
    state.subscribed = { token: token, channels: want };
  }

  function onMessage(m) {
    const current = state.instrument && m.token === state.instrument.token;
    switch (m.type) {
      case 'backfill':
        if (!current) return;
        if (m.channel === 'ticks') {
          state.ticks = m.items.slice(-MAX_TICKS).reverse();
          renderTicks();
          if (state.ticks.length) updateQuote(state.ticks[0]);
        } else if (m.channel === 'bars:' + state.tf) {
          state.bars = m.items.map(toBar);
          renderChart();
        }
        break;
      case 'tick':
        if (!current) return;
        state.ticks.unshift(m);
        if (state.ticks.length > MAX_TICKS) state.ticks.length = MAX_TICKS;
        renderTicks(true);
        updateQuote(m);
        break;
      case 'bar':
        if (!current || m.tf !== state.tf) return;
        upsertBar(toBar(m));
        scheduleChart();
        break;
      case 'gap':
        if (current && m.state === 'LOST') toast('Gap: ' + m.missing + ' tick(s) lost (seq ' + m.fromSeq + '–' + m.toSeq + ')');
        break;
      case 'dropped': {
        state.dropped += m.dropped;
        const d = $('dropped');
        d.textContent = 'dropped ' + state.dropped;
        d.classList.remove('hidden');
        break;
      }
      case 'error':
        toast(m.message);
        break;
      default:
        break;
    }
  }

  // ---------- ticks ----------
  function renderTicks(fresh) {
    const tbody = $('ticks').querySelector('tbody');
    tbody.innerHTML = '';
    state.ticks.forEach((t, idx) => {
      const tr = document.createElement('tr');
      if (fresh && idx === 0) tr.className = 'fresh';
      const side = t.side ? t.side : '';
      const sideClass = t.side === 'BUY' ? 'up' : t.side === 'SELL' ? 'down' : '';
      tr.innerHTML =
        '<td>' + fmtTime(t.exchangeTs, true) + '</td>' +
        '<td class="num ' + sideClass + '">' + fmtPrice(t.price) + '</td>' +
        '<td class="num">' + fmtQty(t.qty) + '</td>' +
        '<td class="' + sideClass + '">' + side + '</td>' +
        '<td><span class="badge ' + t.status + '">' + t.status + '</span></td>';
      tbody.appendChild(tr);
    });
  }

  function updateQuote(t) {
    $('q-last').textContent = fmtPrice(t.price);
    const first = state.bars.length ? state.bars[0].open : null;
    if (first !== null) {
      const ch = Number(t.price) - first;
      const pct = first ? (ch / first) * 100 : 0;
      const el = $('q-change');
      el.textContent = (ch >= 0 ? '+' : '') + fmtPrice(ch) + ' (' + pct.toFixed(2) + '%)';
      el.className = 'q-change ' + (ch >= 0 ? 'up' : 'down');
    }
  }

  // ---------- chart ----------
  function toBar(b) {
    return { start: b.start, open: Number(b.open), high: Number(b.high), low: Number(b.low), close: Number(b.close),
      volume: Number(b.volume), final: b.final };
  }

  function upsertBar(b) {
    const bars = state.bars;
    if (!bars.length || b.start > bars[bars.length - 1].start) {
      bars.push(b);
      if (bars.length > MAX_BARS) bars.shift();
      return;
    }
    for (let i = bars.length - 1; i >= 0; i--) {
      if (bars[i].start === b.start) { bars[i] = b; return; }
      if (bars[i].start < b.start) { bars.splice(i + 1, 0, b); return; }
    }
    bars.unshift(b);
  }

  let chartPending = false;
  function scheduleChart() {
    if (chartPending) return;
    chartPending = true;
    requestAnimationFrame(() => { chartPending = false; renderChart(); });
  }

  function renderChart() {
    const bars = state.bars;
    $('chart-empty').classList.toggle('hidden', bars.length > 0 || !state.instrument);
    const last = bars.length ? bars[bars.length - 1] : null;
    $('chart-info').textContent = last
      ? bars.length + ' bars · last ' + fmtBarTime(last.start) + (last.final ? '' : ' (forming)')
      : '';
    const up = getComputedStyle(document.documentElement).getPropertyValue('--up').trim();
    const down = getComputedStyle(document.documentElement).getPropertyValue('--down').trim();
    chart.setOption({
      animation: false,
      backgroundColor: 'transparent',
      textStyle: { color: '#7d8a9c' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'cross' }, backgroundColor: '#1c2430', borderColor: '#263040',
        textStyle: { color: '#d7dde6' } },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: [{ left: 60, right: 16, top: 16, height: '68%' }, { left: 60, right: 16, top: '80%', height: '13%' }],
      xAxis: [
        { type: 'category', data: bars.map(b => fmtBarTime(b.start)), boundaryGap: true,
          axisLine: { lineStyle: { color: '#263040' } }, axisLabel: { color: '#7d8a9c' } },
        { type: 'category', gridIndex: 1, data: bars.map(b => fmtBarTime(b.start)), axisLabel: { show: false },
          axisLine: { lineStyle: { color: '#263040' } } },
      ],
      yAxis: [
        { scale: true, splitLine: { lineStyle: { color: '#1d2530' } }, axisLabel: { color: '#7d8a9c' } },
        { scale: true, gridIndex: 1, splitNumber: 2, axisLabel: { show: false }, splitLine: { show: false } },
      ],
      dataZoom: [{ type: 'inside', xAxisIndex: [0, 1], start: bars.length > 120 ? 100 - (120 / bars.length) * 100 : 0, end: 100 }],
      series: [
        { name: state.instrument ? state.instrument.symbol : '', type: 'candlestick',
          data: bars.map(b => [b.open, b.close, b.low, b.high]),
          itemStyle: { color: up, color0: down, borderColor: up, borderColor0: down } },
        { name: 'Volume', type: 'bar', xAxisIndex: 1, yAxisIndex: 1,
          data: bars.map(b => ({ value: b.volume, itemStyle: { color: b.close >= b.open ? up + '88' : down + '88' } })) },
      ],
    }, { notMerge: false, replaceMerge: ['series', 'xAxis'] });
  }

  // ---------- start ----------
  async function start() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (TIMEFRAMES.includes(hash.get('tf'))) state.tf = hash.get('tf');
    renderTfSwitch();
    renderChart();
    connect();
    const items = await loadInstruments('');
    const wanted = Number(hash.get('token'));
    let pick = items.find(i => i.token === wanted);
    if (!pick && wanted) {
      try {
        const r = await fetch('/api/v1/instruments/' + wanted);
        if (r.ok) pick = await r.json();
      } catch (e) { /* fall back to the first */ }
    }
    if (!pick) pick = items.find(i => i.kind === 'IDX') || items[0];
    if (pick) selectInstrument(pick);
  }

  // for debugging from the browser console (and the dashboard's browser test)
  window.tickloom = { state: state, chart: chart };

  start();
})();
