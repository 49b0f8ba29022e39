// Timeline: events (bars) and fatalities (line, with a dot per bin) per day, week or month; brushing sets
// the date filter. The server gives days; they are binned here. "auto" takes the finest bin whose bars are
// at least MIN_BAR pixels wide, and a bin asked for that would make slivers is widened the same way (the
// note under the chart says so). Axis labels fall on whole days, never twice the same.
import { clear, h } from './dom.js';
import { getLang, t } from './i18n.js';

const iso = (d) => d.toISOString().slice(0, 10);
const parse = (s) => new Date(`${s}T00:00:00Z`);
const MIN_BAR = 3; // pixels
export const BINS = ['day', 'week', 'month'];

function interval(bin) {
  const d3 = window.d3;
  return bin === 'month' ? d3.utcMonth : bin === 'week' ? d3.utcMonday : d3.utcDay;
}

// The bin to draw: the one asked for, or a coarser one when its bars would be thinner than MIN_BAR
export function effectiveBin(asked, first, last, plotWidth) {
  const start = BINS.indexOf(asked === 'auto' ? 'day' : asked);
  for (let i = Math.max(0, start); i < BINS.length; i += 1) {
    const iv = interval(BINS[i]);
    const n = iv.count(iv.floor(first), iv.offset(iv.floor(last), 1));
    if (plotWidth / Math.max(1, n) >= MIN_BAR) return BINS[i];
  }
  return 'month';
}

// Day rows summed into bins; empty bins between the first and the last as zeros (the line does not
// bridge gaps)
function binned(days, bin) {
  const iv = interval(bin);
  const acc = new Map();
  for (const d of days) {
    const k = +iv.floor(d.date);
    const a = acc.get(k) || { date: new Date(k), events: 0, fatalities: 0 };
    a.events += d.events;
    a.fatalities += d.fatalities;
    acc.set(k, a);
  }
  const out = [...acc.values()].sort((a, b) => a.date - b.date);
  if (!out.length) return out;
  const all = iv.range(out[0].date, iv.offset(out[out.length - 1].date, 1)).slice(0, 5000);
  return all.map((d) => acc.get(+d) || { date: d, events: 0, fatalities: 0 });
}

// Tick labels in the interface language: the year on 1 January, the month on the 1st, else day and month
function tickFormat() {
  const lang = getLang() === 'ar' ? 'ar' : 'en-GB';
  const fmt = (o) => new Intl.DateTimeFormat(lang, { timeZone: 'UTC', ...o });
  const year = fmt({ year: 'numeric' });
  const month = fmt({ month: 'short', year: 'numeric' });
  const day = fmt({ day: 'numeric', month: 'short' });
  return (d) => {
    if (d.getUTCDate() !== 1) return day.format(d);
    return d.getUTCMonth() === 0 ? year.format(d) : month.format(d);
  };
}

// Ticks on whole days (d3 would put some at noon over a few days), each label once
export function dayTicks(x, count, format) {
  const d3 = window.d3;
  const [a, b] = x.domain();
  // (the domain's end is the day after the last bin: no label there)
  let ticks = x.ticks(count).filter((d) => +d3.utcDay.floor(d) === +d && d < b);
  if (ticks.length < 2) ticks = d3.utcDay.range(a, b).filter((_d, i, all) => i % Math.ceil(all.length / count) === 0);
  const seen = new Set();
  return ticks.filter((d) => { const s = format(d); if (seen.has(s)) return false; seen.add(s); return true; });
}

export function drawTimeline(el, rows, { bin, since, until, onBrush }) {
  const d3 = window.d3;
  clear(el);
  const days = rows.filter((r) => r && r.date).map((r) => ({ date: parse(r.date), events: +r.events || 0, fatalities: +r.fatalities || 0 }))
    .sort((a, b) => a.date - b.date);
  if (!days.length) { el.append(h('p', { class: 'note' }, t('no_data'))); return; }
  const width = Math.max(320, el.clientWidth || 800);
  const height = 170;
  const m = { top: 10, right: 44, bottom: 24, left: 36 };
  const shown = effectiveBin(bin, days[0].date, days[days.length - 1].date, width - m.left - m.right);
  const iv = interval(shown);
  const data = binned(days, shown);
  const first = data[0].date;
  const last = iv.offset(data[data.length - 1].date, 1);
  const x = d3.scaleUtc().domain([first, last]).range([m.left, width - m.right]);
  const yE = d3.scaleLinear().domain([0, d3.max(data, (d) => d.events) || 1]).nice().range([height - m.bottom, m.top]);
  const yF = d3.scaleLinear().domain([0, d3.max(data, (d) => d.fatalities) || 1]).nice().range([height - m.bottom, m.top]);
  el.dataset.bin = shown;

  const svg = d3.select(el).append('svg').attr('width', width).attr('height', height).attr('class', 'timeline-svg')
    .attr('role', 'img').attr('aria-label', t('timeline'));
  const bw = (d) => Math.max(1, x(iv.offset(d.date, 1)) - x(d.date) - 1);
  const label = (d) => (shown === 'day' ? iso(d.date) : `${iso(d.date)} – ${iso(d3.utcDay.offset(iv.offset(d.date, 1), -1))}`);
  svg.append('g').attr('class', 'bars').selectAll('rect').data(data).join('rect')
    .attr('class', 'bar').attr('x', (d) => x(d.date)).attr('width', bw)
    .attr('y', (d) => yE(d.events)).attr('height', (d) => yE(0) - yE(d.events))
    .attr('data-date', (d) => iso(d.date)).attr('data-events', (d) => d.events)
    .append('title').text((d) => `${label(d)}: ${t('n_events', d.events)}, ${t('n_fatalities', d.fatalities)}`);
  const cx = (d) => x(d.date) + bw(d) / 2;
  svg.append('path').datum(data).attr('class', 'fatalities-line').attr('fill', 'none')
    .attr('d', d3.line().x(cx).y((d) => yF(d.fatalities)));
  // a dot per bin: one bin alone still shows its fatalities (a line needs two points)
  svg.append('g').attr('class', 'fatalities-dots').selectAll('circle').data(data.filter((d) => d.fatalities > 0 || data.length === 1))
    .join('circle').attr('class', 'fatalities-dot').attr('r', data.length > 60 ? 1.5 : 3).attr('cx', cx).attr('cy', (d) => yF(d.fatalities))
    .attr('data-fatalities', (d) => d.fatalities);
  const fmt = tickFormat();
  const ticks = dayTicks(x, Math.max(2, Math.floor(width / 90)), fmt);
  svg.append('g').attr('class', 'axis-dates').attr('transform', `translate(0,${height - m.bottom})`)
    .call(d3.axisBottom(x).tickValues(ticks).tickFormat(fmt));
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(yE).ticks(Math.min(4, d3.max(data, (d) => d.events) || 1)).tickFormat(d3.format('d')));
  svg.append('g').attr('class', 'axis-fatalities').attr('transform', `translate(${width - m.right},0)`)
    .call(d3.axisRight(yF).ticks(Math.min(4, d3.max(data, (d) => d.fatalities) || 1)).tickFormat(d3.format('d')));

  const brush = d3.brushX().extent([[m.left, m.top], [width - m.right, height - m.bottom]])
    .on('end', (ev) => {
      if (!ev.sourceEvent) return; // moved by code, not by the user
      if (!ev.selection) { onBrush(null, null); return; }
      const [a, b] = ev.selection.map((px) => x.invert(px));
      const s = d3.utcDay.floor(a);
      const u = d3.utcDay.offset(d3.utcDay.ceil(b), -1);
      onBrush(iso(s), iso(u < s ? s : u));
    });
  const g = svg.append('g').attr('class', 'brush').call(brush);
  if (since || until) {
    const a = since ? parse(since) : first;
    const b = until ? d3.utcDay.offset(parse(until), 1) : last;
    const px = [Math.max(m.left, x(a)), Math.min(width - m.right, x(b))];
    if (px[1] > px[0]) g.call(brush.move, px);
  }
  const asked = bin === 'auto' ? null : bin;
  el.append(h('div', { class: 'timeline-legend' },
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch bar-swatch' }), t('events')),
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch line-swatch' }), t('fatalities')),
    h('span', { class: 'note', id: 'timeline-bin-note', dataset: { bin: shown } },
      asked && asked !== shown ? t('bin_widened', t(`bin_${asked}`), t(`bin_${shown}`)) : t('bin_shown', t(`bin_${shown}`)))));
}
