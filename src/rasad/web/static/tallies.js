// Tallies: the stored statistics series (tallies reported over a period) and events / fatalities
// by month from /stats, as d3 charts with their tables.
import { get } from './api.js';
import { clear, fmtValue, h } from './dom.js';
import { t } from './i18n.js';

function barChart(el, rows, { x, series }) {
  const d3 = window.d3;
  clear(el);
  if (!rows.length) { el.append(h('p', { class: 'note' }, t('no_data'))); return; }
  const width = Math.max(320, el.clientWidth || 800);
  const height = 250;
  const m = { top: 10, right: 10, bottom: 70, left: 44 };
  const xs = d3.scaleBand().domain(rows.map(x)).range([m.left, width - m.right]).padding(0.2);
  const inner = d3.scaleBand().domain(series.map((s) => s.key)).range([0, xs.bandwidth()]).padding(0.05);
  const y = d3.scaleLinear().domain([0, d3.max(rows, (r) => d3.max(series, (s) => +r[s.key] || 0)) || 1]).nice()
    .range([height - m.bottom, m.top]);
  const svg = d3.select(el).append('svg').attr('width', width).attr('height', height).attr('class', 'chart');
  const g = svg.append('g').selectAll('g').data(rows).join('g').attr('transform', (r) => `translate(${xs(x(r))},0)`);
  g.selectAll('rect').data((r) => series.map((s) => ({ s, v: +r[s.key] || 0, label: x(r) }))).join('rect')
    .attr('class', (d) => `bar bar-${d.s.key}`).attr('x', (d) => inner(d.s.key)).attr('width', inner.bandwidth())
    .attr('y', (d) => y(d.v)).attr('height', (d) => y(0) - y(d.v))
    .append('title').text((d) => `${d.label}: ${d.v} ${d.s.label}`);
  svg.append('g').attr('transform', `translate(0,${height - m.bottom})`).call(d3.axisBottom(xs))
    .selectAll('text').attr('transform', 'rotate(-30)').attr('text-anchor', 'end');
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(5));
  el.append(h('div', { class: 'timeline-legend' }, series.map((s) => h('span', { class: 'legend-item' },
    h('span', { class: `swatch swatch-${s.key}` }), s.label))));
}

// /stats rows (month × governorate × actor) summed by month; tolerant of {rows:[...]} or a list.
export function byMonth(stats) {
  const rows = Array.isArray(stats) ? stats : (stats?.cells || stats?.by_month || stats?.rows || []);
  const acc = new Map();
  for (const r of rows) {
    const month = r.month || (r.date ? String(r.date).slice(0, 7) : null);
    if (!month || month === 'unknown') continue;
    const a = acc.get(month) || { month, events: 0, fatalities: 0 };
    a.events += +(r.events ?? r.count ?? 0) || 0;
    a.fatalities += +(r.fatalities ?? 0) || 0;
    acc.set(month, a);
  }
  return [...acc.values()].sort((a, b) => a.month.localeCompare(b.month));
}

export function renderTallies(root) {
  let disposed = false;
  const monthEl = h('div', { id: 'chart-month', class: 'chart-box', dir: 'ltr' }, t('loading'));
  const statEl = h('div', { id: 'chart-stats', class: 'chart-box', dir: 'ltr' }, t('loading'));
  const statTable = h('div', { id: 'stats-table', class: 'table-wrap' });
  root.append(h('div', { class: 'tallies' }, h('h1', {}, t('tallies')),
    h('section', { class: 'card' }, h('h2', {}, t('by_month')), monthEl),
    h('section', { class: 'card' }, h('h2', {}, t('stats_series')), statEl, statTable)));

  get('/stats').then((s) => {
    if (disposed) return;
    barChart(monthEl, byMonth(s), { x: (r) => r.month, series: [
      { key: 'events', label: t('events_per_month') }, { key: 'fatalities', label: t('fatalities_per_month') }] });
  }).catch((e) => { if (!disposed) clear(monthEl).append(h('p', { class: 'error' }, `${t('error')}: ${e.message}`)); });

  get('/statistics').then((s) => {
    if (disposed) return;
    const list = Array.isArray(s) ? s : (s?.statistics || s?.series || []);
    // one row per count of each tally: period, category, value, claimant
    const rows = [];
    for (const st of list) {
      const period = [...new Set([st.period_start, st.period_end].filter(Boolean))].join(' – ') || '–';
      const counts = st.counts || (st.value !== undefined ? [st] : []);
      for (const c of counts) {
        rows.push({ period, category: c.category || c.kind || '–', value: +c.value || 0, qualifier: c.qualifier || '',
          claimant: st.claimant || '–', text: c.text || '' });
      }
    }
    barChart(statEl, rows.map((r) => ({ ...r, label: `${r.period} ${r.category}` })),
      { x: (r) => r.label, series: [{ key: 'value', label: t('count') }] });
    clear(statTable).append(rows.length ? h('table', { class: 'stats' },
      h('thead', {}, h('tr', {}, [t('period'), t('category'), t('count'), t('qualifier'), t('claimant'), t('source_text')].map((x) => h('th', {}, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, [r.period, r.category, fmtValue(r.value), r.qualifier, r.claimant, r.text]
        .map((c) => h('td', { dir: 'auto' }, c)))))) : '');
  }).catch((e) => { if (!disposed) clear(statEl).append(h('p', { class: 'error' }, `${t('error')}: ${e.message}`)); });

  return { dispose() { disposed = true; } };
}
