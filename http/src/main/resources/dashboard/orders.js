// Tickloom dashboard, orders section (issue 6): an order ticket (REST POST /api/v1/orders with the API key typed in)
// and a blotter fed live by the WebSocket "orders" channel (its own connection, /ws?key=..., so the market-data
// connection of app.js stays keyless), with cancel buttons (DELETE /api/v1/orders/{id}). Kept apart from app.js: it
// only reads window.tickloom.state.instrument (the selected instrument) to know what to trade.
(function () {
  'use strict';

  const KEY_STORAGE = 'tickloom.orders.key';
  const ACCOUNT_STORAGE = 'tickloom.orders.account';
  const MAX_ROWS = 50;
  const OPEN = new Set(['PENDING_NEW', 'ACCEPTED', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_MODIFY']);
  const $ = (id) => document.getElementById(id);

  const orders = {
    ws: null,
    key: null,
    rows: new Map(), // orderId -> order view, newest placed first in the table
    reconnectDelay: 500,
    seq: 0,
    scales: new Map(), // token -> {priceScale, qtyScale}, for showing the wire's exact decimals at the instrument's scales
  };

  // JSON.parse makes numbers of the wire's exact decimals; shown again at the instrument's scales (display only).
  function scaleOf(token) {
    const sel = selectedInstrument();
    if (sel && sel.token === token) return sel;
    if (!orders.scales.has(token)) {
      orders.scales.set(token, null);
      fetch('/api/v1/instruments/' + token, orders.key ? { headers: { 'X-API-Key': orders.key } } : {}).then(r => (r.ok ? r.json() : null)).then(i => {
        if (i) { orders.scales.set(token, i); render(); }
      }).catch(() => {});
    }
    return orders.scales.get(token);
  }

  function fmt(v, scale) {
    if (v == null) return '';
    return scale == null ? String(v) : Number(v).toFixed(scale);
  }

  function ticketMessage(text, bad) {
    const el = $('ot-message');
    el.textContent = text;
    el.classList.toggle('down', !!bad);
  }

  function selectedInstrument() {
    return window.tickloom && window.tickloom.state ? window.tickloom.state.instrument : null;
  }

  function syncType() {
    const market = $('ot-type').value === 'MARKET';
    $('ot-price').disabled = market;
    if (market) $('ot-price').value = '';
  }

  async function place(ev) {
    ev.preventDefault();
    const key = $('ot-key').value.trim();
    const account = $('ot-account').value.trim();
    const instrument = selectedInstrument();
    if (!key || !account) return ticketMessage('enter your API key and account', true);
    if (!instrument) return ticketMessage('select an instrument first', true);
    localStorage.setItem(KEY_STORAGE, key);
    localStorage.setItem(ACCOUNT_STORAGE, account);
    connectOrders(key);
    const body = {
      clientOrderId: 'ui-' + Date.now() + '-' + (++orders.seq),
      account: account,
      token: instrument.token,
      side: $('ot-side').value,
      qty: $('ot-qty').value.trim(),
      type: $('ot-type').value,
      tif: $('ot-tif').value,
    };
    if (body.type !== 'MARKET') body.price = $('ot-price').value.trim();
    try {
      const r = await fetch('/api/v1/orders', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-API-Key': key }, body: JSON.stringify(body),
      });
      const text = await r.text();
      let json = null;
      try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
      if (r.ok) {
        upsert(json);
        ticketMessage('placed ' + json.side + ' ' + json.qty + ' ' + instrument.symbol + ': ' + json.status, false);
      } else {
        ticketMessage((json && (json.detail || json.title)) || ('HTTP ' + r.status), true);
      }
    } catch (e) {
      ticketMessage('place failed: ' + e, true);
    }
  }

  async function cancel(orderId) {
    try {
      const r = await fetch('/api/v1/orders/' + encodeURIComponent(orderId), { method: 'DELETE', headers: { 'X-API-Key': orders.key } });
      const json = await r.json().catch(() => null);
      if (r.ok) upsert(json);
      else ticketMessage((json && json.detail) || ('cancel: HTTP ' + r.status), true);
    } catch (e) {
      ticketMessage('cancel failed: ' + e, true);
    }
  }

  // A view only replaces an older one: REST answers and channel frames may arrive in either order.
  function newer(a, b) {
    if (!b) return true;
    return new Date(a.updatedAt) >= new Date(b.updatedAt);
  }

  function upsert(view) {
    if (!view || !view.orderId) return;
    const old = orders.rows.get(view.orderId);
    if (!newer(view, old)) return;
    if (!old && orders.rows.size >= MAX_ROWS) orders.rows.delete(orders.rows.keys().next().value);
    orders.rows.set(view.orderId, view);
    render();
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function render() {
    const tbody = $('blotter').querySelector('tbody');
    tbody.replaceChildren();
    const views = Array.from(orders.rows.values()).reverse();
    for (const o of views) {
      const tr = document.createElement('tr');
      tr.dataset.orderId = o.orderId;
      tr.dataset.status = o.status;
      cell(tr, new Date(o.updatedAt).toISOString().slice(11, 19));
      cell(tr, o.side, o.side === 'BUY' ? 'up' : 'down');
      cell(tr, o.token);
      const sc = scaleOf(o.token);
      const ps = sc ? sc.priceScale : null;
      const qs = sc ? sc.qtyScale : null;
      cell(tr, fmt(o.filledQty, qs) + '/' + fmt(o.qty, qs), 'num');
      cell(tr, o.price == null ? 'MKT' : fmt(o.price, ps), 'num');
      cell(tr, fmt(o.avgPrice, ps), 'num');
      cell(tr, o.tif);
      cell(tr, o.status, 'status');
      const actions = cell(tr, '');
      if (OPEN.has(o.status)) {
        const b = document.createElement('button');
        b.className = 'cancel';
        b.textContent = 'Cancel';
        b.disabled = o.status === 'PENDING_CANCEL' || o.status === 'PENDING_NEW';
        b.addEventListener('click', () => cancel(o.orderId));
        actions.appendChild(b);
      }
      tbody.appendChild(tr);
    }
    $('blotter-empty').classList.toggle('hidden', views.length > 0);
  }

  function setOrdersConn(s) {
    $('orders-conn').dataset.state = s;
    $('orders-conn').textContent = s === 'open' ? 'live' : s;
  }

  function connectOrders(key) {
    if (orders.ws && orders.key === key && orders.ws.readyState <= WebSocket.OPEN) return;
    if (orders.ws) {
      orders.ws.onclose = null;
      orders.ws.close();
    }
    orders.key = key;
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?key=' + encodeURIComponent(key);
    const ws = new WebSocket(url);
    orders.ws = ws;
    setOrdersConn('connecting');
    ws.onopen = () => {
      orders.reconnectDelay = 500;
      setOrdersConn('open');
      ws.send(JSON.stringify({ action: 'subscribe', channels: ['orders'] }));
    };
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === 'order_event') upsert(m.order);
      else if (m.type === 'backfill' && m.channel === 'orders') m.items.slice().reverse().forEach(upsert); // oldest first
      else if (m.type === 'error') ticketMessage('orders channel: ' + m.message, true);
    };
    ws.onclose = () => {
      if (orders.ws !== ws) return;
      setOrdersConn('closed');
      setTimeout(() => connectOrders(orders.key), orders.reconnectDelay);
      orders.reconnectDelay = Math.min(orders.reconnectDelay * 2, 10000);
    };
  }

  function start() {
    if (!$('order-ticket')) return;
    $('ot-key').value = localStorage.getItem(KEY_STORAGE) || '';
    $('ot-account').value = localStorage.getItem(ACCOUNT_STORAGE) || 'DEMO';
    $('ot-type').addEventListener('change', syncType);
    $('order-ticket').addEventListener('submit', place);
    $('orders-toggle').addEventListener('click', () => $('orders-panel').classList.toggle('collapsed'));
    // Without a stored key the panel starts folded (its title bar only), so it does not cover the ticks; ▾ opens it.
    if (!$('ot-key').value) $('orders-panel').classList.add('collapsed');
    syncType();
    render();
    if ($('ot-key').value) connectOrders($('ot-key').value);
  }

  // for the dashboard's browser test
  window.tickloomOrders = orders;
  start();
})();
