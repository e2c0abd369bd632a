// Tickloom dashboard: plain JS, no build step. REST for the instrument list, one WebSocket for everything live
// (ticks, bars:<tf>, indicators:<tf> of the selected instrument).
(function () {
  'use strict';

  const TIMEFRAMES = ['1s', '5s', '15s', '1m', '3m', '5m', '15m', '30m', '1h', '1d'];
  const MAX_TICKS = 30;
  const MAX_BARS = 2000;
  // Indicators drawn over the candles (one line per output) and in panels below them; the others (ATR) are not drawn.
  const OVERLAY = /^(SMA|EMA)_|^BB_|^VWAP$/;
  const PANEL = /^(RSI|MACD)_/;
  const DEFAULT_INDICATORS = ['SMA_20', 'BB_20_2', 'RSI_14', 'MACD_12_26_9'];
  const LINE_COLORS = ['#f5c542', '#4aa3ff', '#c678dd', '#ff8c42', '#56d4c8', '#e06c9f', '#98c379', '#d19a66'];
  const STORAGE_KEY = 'tickloom.indicators';

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
    indicators: new Map(), // bar start -> {final, values: {output: number}} of the selected timeframe
    indicatorNames: [],    // indicators seen (SMA_20, BB_20_2, ...), drawable ones only, in selector order (byKind)
    colors: new Map(),     // indicator name -> line color, given in the order first seen (stable while the page lives)
    selected: loadSelection(), // Set of indicator names to draw
    replay: null,          // id of the replay whose bars the chart shows instead of live ones (replay.js), or null
    resyncing: null,       // ticks received between 'resync' and 'resync_done', merged by exchange time at the end
  };

  function loadSelection() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY));
      if (Array.isArray(saved)) return new Set(saved);
    } catch (e) { /* storage unavailable or corrupt: defaults */ }
    return new Set(DEFAULT_INDICATORS);
  }

  const $ = (id) => document.getElementById(id);
  const chart = echarts.init($('chart'), null, { renderer: 'canvas' });
  // The chart's box changes with the window and with the toolbar above it (the indicator selector wraps).
  new ResizeObserver(() => chart.resize()).observe($('chart'));

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

  // The order ticket's API key (orders.js keeps it in this browser), sent with market-data requests too: a node with
  // tickloom.http.require-key-for-market-data on serves them only with a key.
  function apiKey() {
    try { return localStorage.getItem('tickloom.orders.key') || ''; } catch (e) { return ''; }
  }

  function withKey() {
    const k = apiKey();
    return k ? { headers: { 'X-API-Key': k } } : {};
  }

  // ---------- instruments ----------
  async function loadInstruments(query) {
    const url = '/api/v1/instruments?limit=200' + (query ? '&query=' + encodeURIComponent(query) : '');
    try {
      const res = await fetch(url, withKey());
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
    state.resyncing = null;
    state.indicators = new Map();
    if (window.tickloomDepth) window.tickloomDepth.clear();
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
    state.indicators = new Map();
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
    const key = apiKey();
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws' + (key ? '?key=' + encodeURIComponent(key) : '');
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

  // Keeps the connection subscribed to the selected instrument's ticks and selected timeframe's bars and indicator
  // values, changing only what changed (a timeframe switch leaves the ticks subscription alone).
  function resubscribe() {
    if (!state.connected || !state.instrument) return;
    const token = state.instrument.token;
    const want = ['ticks', 'bars:' + state.tf, 'indicators:' + state.tf, 'depth'];
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
          if (state.replay) return;
          state.bars = m.items.map(toBar);
          renderChart();
        } else if (m.channel === 'indicators:' + state.tf) {
          if (state.replay) return;
          state.indicators = new Map();
          for (const it of m.items) upsertIndicators(it);
          renderChart();
        }
        break;
      case 'resync':
        // The instrument's live stream had a hole (its entity moved to another node, or events were lost): the server
        // re-sends the ticks it stored and we did not get, then 'resync_done'; bars, indicators and the book come as a
        // fresh backfill. Ticks arriving until then are merged into the tape by exchange time.
        if (!current || !m.channels.includes('ticks')) return;
        state.resyncing = [];
        toast('Live stream of ' + state.instrument.symbol + ' resynchronised (' + m.reason + ')');
        break;
      case 'resync_done':
        if (!current || !state.resyncing) return;
        mergeTicks(state.resyncing);
        state.resyncing = null;
        if (!m.complete) toast('Some ticks of ' + state.instrument.symbol + ' could not be recovered live; reload to re-read them');
        break;
      case 'tick':
        if (!current) return;
        if (state.resyncing) { state.resyncing.push(m); return; }
        state.ticks.unshift(m);
        if (state.ticks.length > MAX_TICKS) state.ticks.length = MAX_TICKS;
        renderTicks(true);
        updateQuote(m);
        break;
      case 'bar':
        if (!current || m.tf !== state.tf || state.replay) return;
        upsertBar(toBar(m));
        scheduleChart();
        break;
      case 'indicator':
        if (!current || m.tf !== state.tf || state.replay) return;
        upsertIndicators(m);
        scheduleChart();
        break;
      case 'depth': // the depth ladder (depth.js)
        if (current && window.tickloomDepth) window.tickloomDepth.render(m, state.instrument);
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
        if (window.tickloomReplay && m.type && m.type.startsWith('replay_')) window.tickloomReplay.onMessage(m); // replay.js
        break;
    }
  }

  // ---------- bar source (hook for replay.js) ----------
  // setBarSource(id): the chart shows replay id's bars (fed by replayBar) instead of live ones; setBarSource(null):
  // back to live, re-reading the live bars and values by subscribing their channels afresh (a new backfill).
  function setBarSource(replayId) {
    state.replay = replayId || null;
    state.bars = [];
    state.indicators = new Map();
    renderChart();
    if (state.replay || !state.subscribed) return;
    const again = ['bars:' + state.tf, 'indicators:' + state.tf];
    send({ action: 'unsubscribe', channels: again, tokens: [state.subscribed.token] });
    state.subscribed.channels = state.subscribed.channels.filter(c => !again.includes(c));
    resubscribe();
  }

  function replayBar(m) {
    if (!state.replay || m.replay !== state.replay || !state.instrument || m.token !== state.instrument.token || m.tf !== state.tf) return;
    upsertBar(toBar(m));
    scheduleChart();
  }

  // ---------- ticks ----------
  // An exchange time ('2026-12-07T09:15:00.5Z', 0 to 9 fraction digits) as a key that sorts as the time does.
  function tsKey(ts) {
    const body = ts.endsWith('Z') ? ts.slice(0, -1) : ts;
    const dot = body.indexOf('.');
    return dot < 0 ? body + '.000000000' : body.slice(0, dot) + '.' + body.slice(dot + 1).padEnd(9, '0');
  }

  // The tape (newest first) with the ticks of a catch-up merged in by exchange time, then seq.
  function mergeTicks(more) {
    const all = state.ticks.concat(more);
    all.sort((a, b) => {
      const ka = tsKey(a.exchangeTs), kb = tsKey(b.exchangeTs);
      return ka === kb ? b.seq - a.seq : (ka < kb ? 1 : -1);
    });
    state.ticks = all.slice(0, MAX_TICKS);
    renderTicks(true);
    if (state.ticks.length) updateQuote(state.ticks[0]);
  }

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

  // ---------- indicators ----------
  // Confirmed values replace a bar's values by start; forming values replace the forming bar's, never confirmed ones.
  function upsertIndicators(m) {
    const known = state.indicators.get(m.start);
    if (!m.final && known && known.final) return;
    state.indicators.set(m.start, { final: m.final, values: m.values });
    let added = false;
    for (const output of Object.keys(m.values)) {
      const name = output.split('.')[0];
      if ((OVERLAY.test(name) || PANEL.test(name)) && !state.indicatorNames.includes(name)) {
        state.indicatorNames.push(name);
        state.colors.set(name, LINE_COLORS[state.colors.size % LINE_COLORS.length]);
        added = true;
      }
    }
    if (added) {
      state.indicatorNames.sort(byKind);
      renderIndicatorSelect();
    }
    if (state.indicators.size > MAX_BARS + 100 && state.bars.length) {
      const first = state.bars[0].start;
      for (const start of state.indicators.keys()) if (start < first) state.indicators.delete(start);
    }
  }

  // SMA, EMA, BB, VWAP (overlays), then RSI, MACD (panels); within a kind by their periods.
  const KINDS = ['SMA', 'EMA', 'BB', 'VWAP', 'RSI', 'MACD'];
  function byKind(a, b) {
    const pa = a.split('_'), pb = b.split('_');
    const k = KINDS.indexOf(pa[0]) - KINDS.indexOf(pb[0]);
    if (k !== 0) return k;
    for (let i = 1; i < Math.max(pa.length, pb.length); i++) {
      const d = Number(pa[i] || 0) - Number(pb[i] || 0);
      if (d !== 0) return d;
    }
    return 0;
  }

  function colorOf(name) {
    return state.colors.get(name) || LINE_COLORS[0];
  }

  function renderIndicatorSelect() {
    const box = $('indicator-select');
    box.innerHTML = '';
    const names = state.indicatorNames;
    for (const name of names) {
      const label = document.createElement('label');
      label.dataset.name = name;
      label.title = PANEL.test(name) ? name + ' (panel below the chart)' : name + ' (over the candles)';
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.checked = state.selected.has(name);
      cb.addEventListener('change', () => {
        if (cb.checked) state.selected.add(name); else state.selected.delete(name);
        try { localStorage.setItem(STORAGE_KEY, JSON.stringify([...state.selected])); } catch (e) { /* not kept */ }
        renderChart();
      });
      const swatch = document.createElement('i');
      swatch.style.background = colorOf(name);
      label.append(cb, swatch, document.createTextNode(name));
      box.appendChild(label);
    }
    box.classList.toggle('hidden', names.length === 0);
  }

  // One value per bar (aligned with the candles' category axis); '-' where the output has no value.
  function indicatorData(bars, output) {
    return bars.map(b => {
      const v = state.indicators.get(b.start);
      return v && v.values[output] !== undefined ? v.values[output] : '-';
    });
  }

  // Series and panels of the selected indicators: overlays on grid 0, each RSI/MACD in a panel grid of its own.
  function indicatorSeries(bars, up, down) {
    const selected = state.indicatorNames.filter(n => state.selected.has(n));
    const series = [];
    const panels = [];
    const line = (name, output, axis, extra) => Object.assign({ name: output, type: 'line', xAxisIndex: axis, yAxisIndex: axis,
      data: indicatorData(bars, output), showSymbol: false, connectNulls: false, z: 3,
      lineStyle: { width: 1.2, color: colorOf(name) }, itemStyle: { color: colorOf(name) } }, extra || {});
    for (const name of selected.filter(n => OVERLAY.test(n))) {
      if (name.startsWith('BB_')) {
        series.push(line(name, name + '.upper', 0, { lineStyle: { width: 1, type: 'dashed', color: colorOf(name) } }));
        series.push(line(name, name + '.middle', 0));
        series.push(line(name, name + '.lower', 0, { lineStyle: { width: 1, type: 'dashed', color: colorOf(name) } }));
      } else {
        series.push(line(name, name, 0));
      }
    }
    for (const name of selected.filter(n => PANEL.test(n))) {
      const axis = 2 + panels.length;
      panels.push(name);
      if (name.startsWith('RSI_')) {
        series.push(line(name, name, axis, { markLine: { silent: true, symbol: 'none', label: { show: false },
          lineStyle: { color: '#7d8a9c', type: 'dashed', width: 1 }, data: [{ yAxis: 30 }, { yAxis: 70 }] } }));
      } else {
        const hist = name + '.hist';
        series.push({ name: hist, type: 'bar', xAxisIndex: axis, yAxisIndex: axis,
          data: indicatorData(bars, hist).map(v => v === '-' ? v : { value: v, itemStyle: { color: v >= 0 ? up + 'aa' : down + 'aa' } }) });
        series.push(line(name, name + '.macd', axis));
        const own = LINE_COLORS.indexOf(colorOf(name));
        const signal = LINE_COLORS[(own + LINE_COLORS.length / 2) % LINE_COLORS.length]; // never the macd line's color
        series.push(line(name, name + '.signal', axis, { lineStyle: { width: 1.2, color: signal }, itemStyle: { color: signal } }));
      }
    }
    return { series: series, panels: panels };
  }

  // What the chart draws, read back from ECharts (for the console and the dashboard's browser test).
  function drawn() {
    const opt = chart.getOption();
    return {
      grids: opt.grid.length,
      series: opt.series.map(s => {
        const values = (s.data || []).map(d => (d !== null && typeof d === 'object' && !Array.isArray(d)) ? d.value : d);
        const numbers = values.filter(v => typeof v === 'number');
        return { name: s.name, type: s.type, grid: s.xAxisIndex || 0, points: numbers.length,
          last: values.length ? (typeof values[values.length - 1] === 'number' ? values[values.length - 1] : null) : null,
          guides: s.markLine && s.markLine.data ? s.markLine.data.map(d => d.yAxis) : [] };
      }),
    };
  }

  // ---------- chart ----------
  function renderChart() {
    const bars = state.bars;
    $('chart-empty').classList.toggle('hidden', bars.length > 0 || !state.instrument);
    const last = bars.length ? bars[bars.length - 1] : null;
    $('chart-info').textContent = last
      ? bars.length + ' bars · last ' + fmtBarTime(last.start) + (last.final ? '' : ' (forming)')
      : '';
    const up = getComputedStyle(document.documentElement).getPropertyValue('--up').trim();
    const down = getComputedStyle(document.documentElement).getPropertyValue('--down').trim();
    const ind = indicatorSeries(bars, up, down);
    const categories = bars.map(b => fmtBarTime(b.start));
    // Layout in % of the chart's height: candles, their time labels, volume, then one panel per RSI/MACD.
    const n = ind.panels.length;
    const volumeHeight = n ? 8 : 13;
    const panelHeight = 14;
    const mainHeight = n ? 97 - 3 - 8 - volumeHeight - n * (panelHeight + 3) : 68;
    const grid = [{ left: 60, right: 16, top: '3%', height: mainHeight + '%' },
      { left: 60, right: 16, top: (3 + mainHeight + 9) + '%', height: volumeHeight + '%' }];
    const xAxis = [
      { type: 'category', data: categories, boundaryGap: true,
        axisLine: { lineStyle: { color: '#263040' } }, axisLabel: { color: '#7d8a9c' } },
      { type: 'category', gridIndex: 1, data: categories, axisLabel: { show: false },
        axisLine: { lineStyle: { color: '#263040' } } },
    ];
    const yAxis = [
      { scale: true, splitLine: { lineStyle: { color: '#1d2530' } }, axisLabel: { color: '#7d8a9c' } },
      { scale: true, gridIndex: 1, splitNumber: 2, axisLabel: { show: false }, splitLine: { show: false } },
    ];
    let top = 3 + mainHeight + 9 + volumeHeight + 3;
    ind.panels.forEach((name, k) => {
      const g = 2 + k;
      grid.push({ left: 60, right: 16, top: top + '%', height: panelHeight + '%' });
      top += panelHeight + 3;
      xAxis.push({ type: 'category', gridIndex: g, data: categories, axisLabel: { show: false },
        axisLine: { lineStyle: { color: '#263040' } } });
      yAxis.push(name.startsWith('RSI_')
        ? { gridIndex: g, min: 0, max: 100, interval: 50, name: name, nameGap: 4, nameTextStyle: { color: '#7d8a9c', align: 'left' },
            axisLabel: { color: '#7d8a9c', fontSize: 10 }, splitLine: { show: false } }
        : { gridIndex: g, scale: true, splitNumber: 2, name: name, nameGap: 4, nameTextStyle: { color: '#7d8a9c', align: 'left' },
            axisLabel: { color: '#7d8a9c', fontSize: 10 }, splitLine: { lineStyle: { color: '#1d2530' } } });
    });
    const axes = xAxis.map((a, i) => i);
    chart.setOption({
      animation: false,
      backgroundColor: 'transparent',
      textStyle: { color: '#7d8a9c' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'cross' }, backgroundColor: '#1c2430', borderColor: '#263040',
        textStyle: { color: '#d7dde6' } },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: grid,
      xAxis: xAxis,
      yAxis: yAxis,
      dataZoom: [{ type: 'inside', xAxisIndex: axes, start: bars.length > 120 ? 100 - (120 / bars.length) * 100 : 0, end: 100 }],
      series: [
        { name: state.instrument ? state.instrument.symbol : '', type: 'candlestick',
          data: bars.map(b => [b.open, b.close, b.low, b.high]),
          itemStyle: { color: up, color0: down, borderColor: up, borderColor0: down } },
        { name: 'Volume', type: 'bar', xAxisIndex: 1, yAxisIndex: 1,
          data: bars.map(b => ({ value: b.volume, itemStyle: { color: b.close >= b.open ? up + '88' : down + '88' } })) },
      ].concat(ind.series),
    }, { notMerge: false, replaceMerge: ['series', 'xAxis', 'yAxis', 'grid', 'dataZoom'] });
  }

  // ---------- start ----------
  async function start() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (TIMEFRAMES.includes(hash.get('tf'))) state.tf = hash.get('tf');
    renderTfSwitch();
    renderIndicatorSelect();
    renderChart();
    connect();
    const items = await loadInstruments('');
    const wanted = Number(hash.get('token'));
    let pick = items.find(i => i.token === wanted);
    if (!pick && wanted) {
      try {
        const r = await fetch('/api/v1/instruments/' + wanted, withKey());
        if (r.ok) pick = await r.json();
      } catch (e) { /* fall back to the first */ }
    }
    if (!pick) pick = items.find(i => i.kind === 'IDX') || items[0];
    if (pick) selectInstrument(pick);
  }

  // for debugging from the browser console (and the dashboard's browser test)
  window.tickloom = { state: state, chart: chart, drawn: drawn, send: send, setBarSource: setBarSource, replayBar: replayBar };

  start();
})();
