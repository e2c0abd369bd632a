// Tickloom dashboard: the depth ladder of the selected instrument (issue 5). app.js subscribes the WebSocket `depth`
// channel with the instrument's other channels and hands every `depth` frame of the selected instrument to render();
// the server conflates depth per client, so each frame is the latest book. Asks above (worst of the shown levels on
// top, best ask just above the middle), bids below (best first); bar widths show size relative to the largest shown.
(function () {
  'use strict';

  const LEVELS = 10;
  const $ = (id) => document.getElementById(id);
  let last = null;

  function fmt(v, scale) {
    if (v === undefined || v === null) return '';
    return Number(v).toFixed(Math.min(scale, 8));
  }

  function row(cls, bidQty, price, askQty, width, side, scale, qtyScale) {
    const tr = document.createElement('tr');
    tr.className = cls;
    const bar = '<span class="depth-bar ' + side + '" style="width:' + Math.round(width * 100) + '%"></span>';
    tr.innerHTML =
      '<td class="num bid-qty">' + (bidQty === null ? '' : (side === 'bid' ? bar : '') + fmt(bidQty, qtyScale)) + '</td>' +
      '<td class="num price ' + side + '">' + fmt(price, scale) + '</td>' +
      '<td class="num ask-qty">' + (askQty === null ? '' : (side === 'ask' ? bar : '') + fmt(askQty, qtyScale)) + '</td>';
    return tr;
  }

  function render(m, instrument) {
    last = m;
    const scale = instrument ? instrument.priceScale : 2;
    const qtyScale = instrument ? instrument.qtyScale : 0;
    const asks = (m.asks || []).slice(0, LEVELS);
    const bids = (m.bids || []).slice(0, LEVELS);
    let max = 0;
    for (const l of asks.concat(bids)) max = Math.max(max, Number(l[1]));
    const body = $('depth').querySelector('tbody');
    const rows = [];
    for (let i = asks.length - 1; i >= 0; i--) {
      rows.push(row('ask' + (i === 0 ? ' best' : ''), null, asks[i][0], asks[i][1], max ? Number(asks[i][1]) / max : 0, 'ask', scale, qtyScale));
    }
    for (let i = 0; i < bids.length; i++) {
      rows.push(row('bid' + (i === 0 ? ' best' : ''), bids[i][1], bids[i][0], null, max ? Number(bids[i][1]) / max : 0, 'bid', scale, qtyScale));
    }
    body.replaceChildren(...rows);
    $('depth-empty').classList.toggle('hidden', rows.length > 0);
    const f = m.features || {};
    const parts = [];
    if (m.kind && m.kind !== 'NONE') parts.push(m.kind);
    if (f.spread !== undefined) parts.push('spread ' + fmt(f.spread, scale));
    if (f.imbalance !== undefined) parts.push('imb ' + Number(f.imbalance).toFixed(2));
    if (m.status === 'STALE') parts.push('STALE');
    $('depth-info').textContent = parts.join(' · ');
    $('depth-info').classList.toggle('stale', m.status === 'STALE');
  }

  function clear() {
    last = null;
    $('depth').querySelector('tbody').replaceChildren();
    $('depth-info').textContent = '';
    $('depth-empty').classList.remove('hidden');
  }

  window.tickloomDepth = { render: render, clear: clear, last: () => last };
})();
