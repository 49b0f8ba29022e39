// Tallies: the stored statistics series (tallies reported over a period) and events / fatalities
// by month from /stats, as d3 charts with their tables.
import { get } from './api.js';
import { clear, h } from './dom.js';
import { highlight } from './highlight.js';
import { claimantTypeName, qualifierName, t } from './i18n.js';

// "2024-01-01 – 2024-03-31", "until 2024-03-31", "since 2024-01-01": the period a tally covers
export function periodText(start, end) {
  if (start && end) return start === end ? start : `${start} – ${end}`;
  if (end) return t('tally_until', end);
  if (start) return t('tally_since', start);
  return t('tally_no_period');
}

// what a count counts: its noun as the text has it ("مدني"), and the party it belongs to
function countedText(c) {
  const what = [c.category === 'times' ? t('tally_times') : c.category, c.party].filter(Boolean).join(' · ');
  return what || (c.text ? c.text : t('tally_people'));
}

function figureText(c) {
  const n = Number(c.value || 0).toLocaleString('en-US');
  return c.qualifier ? `${qualifierName(c.qualifier)} ${n}` : n;
}

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
    // one row per count of each tally: its period, what it counts, its figure, who says so, and the
    // sentence it was read from with a link to it in its article
    const rows = [];
    for (const st of list) {
      const sentence = (st.evidence || []).find((e) => e.field === 'statistic') || (st.evidence || [])[0] || null;
      for (const c of st.counts || []) {
        rows.push({ id: st.id, period: periodText(st.period_start, st.period_end), what: countedText(c), value: +c.value || 0,
          figure: figureText(c), claimantType: st.claimant_type, sentence,
          // the claimant "outlet" is the outlet that published it
          claimant: st.claimant === 'outlet' ? (st.outlet || st.doc || claimantTypeName('outlet')) : (st.claimant || '–'),
          link: st.document_id !== null && st.document_id !== undefined && sentence
            ? `#/documents/${st.document_id}?start=${sentence.start}&end=${sentence.end}&in=${sentence.in === 'title' ? 'title' : 'text'}` : null });
      }
    }
    barChart(statEl, rows.map((r) => ({ ...r, label: `${r.what} · ${r.period}` })),
      { x: (r) => r.label, series: [{ key: 'value', label: t('count') }] });
    clear(statTable).append(rows.length ? h('table', { class: 'stats', id: 'tallies-table' },
      h('thead', {}, h('tr', {}, [t('period'), t('counted'), t('count'), t('claimant'), t('sentence')].map((x) => h('th', {}, x)))),
      h('tbody', {}, rows.map((r) => h('tr', { dataset: { statisticId: r.id } },
        h('td', { class: 'nowrap tally-period' }, h('bdi', {}, r.period)),
        h('td', { class: 'tally-what' }, h('bdi', { dir: 'auto' }, r.what)),
        h('td', { class: 'num tally-figure' }, r.figure),
        h('td', { class: 'tally-claimant' }, h('bdi', { dir: 'auto' }, r.claimant),
          r.claimantType ? h('div', { class: 'sub' }, claimantTypeName(r.claimantType)) : null),
        h('td', { class: 'tally-sentence' }, r.sentence ? h('bdi', { dir: 'auto', class: 'sentence' }, r.sentence.text) : '–',
          r.link ? h('div', {}, h('a', { href: r.link, class: 'sentence-link' }, t('read_sentence'))) : null))))) : '');
  }).catch((e) => { if (!disposed) clear(statEl).append(h('p', { class: 'error' }, `${t('error')}: ${e.message}`)); });

  return { dispose() { disposed = true; } };
}

// A document's text with one span marked (a tally's sentence): #/documents/ID?start=S&end=E&in=text|title
export function renderDocument(root, id, params) {
  let disposed = false;
  const box = h('div', { class: 'event-page', id: 'document-page', dataset: { documentId: id } }, h('p', { class: 'note' }, t('loading')));
  root.append(box);
  const start = Number(params.get('start'));
  const end = Number(params.get('end'));
  const where = params.get('in') === 'title' ? 'title' : 'text';
  get(`/documents/${id}`).then((doc) => {
    if (disposed) return;
    const span = Number.isInteger(start) && Number.isInteger(end) && end > start ? [{ field: 'statistic', start, end }] : [];
    const titleEl = h('h2', { class: 'doc-title', dir: 'auto' }, highlight(doc.title || '', where === 'title' ? span : []));
    const textEl = h('div', { class: 'doc-text', dir: 'auto' }, highlight(doc.text || '', where === 'text' ? span : []));
    clear(box).append(h('a', { href: '#/tallies', class: 'back' }, t('back_tallies')),
      h('h1', {}, t('document'), ' ', h('bdi', { dir: 'auto' }, doc.doc || `#${id}`)),
      h('p', { class: 'note' }, [doc.outlet, doc.published].filter(Boolean).map((x, i) => [i ? ' · ' : '', h('bdi', { dir: 'auto' }, x)]),
        doc.url ? [' · ', h('a', { href: doc.url, rel: 'noopener noreferrer', target: '_blank' }, t('open_source'))] : null),
      h('section', { class: 'card' }, titleEl, textEl));
    const mark = box.querySelector('mark[data-field="statistic"]');
    if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: 'center' });
  }).catch((e) => { if (!disposed) clear(box).append(h('p', { class: 'error' }, e.status === 404 ? t('not_found') : `${t('error')}: ${e.message}`)); });
  return { dispose() { disposed = true; } };
}
