// Timeline: events (bars) and fatalities (line) per day or week; brushing sets the date filter.
import { clear, h } from './dom.js';
import { getLang, t } from './i18n.js';

const iso = (d) => d.toISOString().slice(0, 10);
const parse = (s) => new Date(`${s}T00:00:00Z`);

// Empty bins between the first and the last are drawn as zeros, so the line does not bridge gaps.
function fillGaps(data, step) {
  const d3 = window.d3;
  const have = new Set(data.map((d) => +d.date));
  const end = data[data.length - 1].date;
  const extra = [];
  for (let d = d3.utcDay.offset(data[0].date, step); d < end && extra.length < 5000; d = d3.utcDay.offset(d, step)) {
    if (!have.has(+d)) extra.push({ date: d, events: 0, fatalities: 0 });
  }
  data.push(...extra);
  data.sort((a, b) => a.date - b.date);
}

// Tick labels in the interface language: the year on 1 January, the month on the 1st, else day and month.
function tickFormat() {
  const lang = getLang() === 'ar' ? 'ar' : 'en-GB';
  const fmt = (o) => new Intl.DateTimeFormat(lang, { timeZone: 'UTC', ...o });
  const year = fmt({ year: 'numeric' });
  const month = fmt({ month: 'short' });
  const day = fmt({ day: 'numeric', month: 'short' });
  return (d) => {
    if (d.getUTCDate() !== 1) return day.format(d);
    return d.getUTCMonth() === 0 ? year.format(d) : month.format(d);
  };
}

export function drawTimeline(el, rows, { bin, since, until, onBrush }) {
  const d3 = window.d3;
  clear(el);
  const data = rows.filter((r) => r && r.date).map((r) => ({ date: parse(r.date), events: +r.events || 0, fatalities: +r.fatalities || 0 }))
    .sort((a, b) => a.date - b.date);
  if (!data.length) { el.append(h('p', { class: 'note' }, t('no_data'))); return; }
  const step = bin === 'day' ? 1 : 7;
  fillGaps(data, step);
  const width = Math.max(320, el.clientWidth || 800);
  const height = 170;
  const m = { top: 10, right: 44, bottom: 24, left: 36 };
  const first = data[0].date;
  const last = d3.utcDay.offset(data[data.length - 1].date, step);
  const x = d3.scaleUtc().domain([first, last]).range([m.left, width - m.right]);
  const yE = d3.scaleLinear().domain([0, d3.max(data, (d) => d.events) || 1]).nice().range([height - m.bottom, m.top]);
  const yF = d3.scaleLinear().domain([0, d3.max(data, (d) => d.fatalities) || 1]).nice().range([height - m.bottom, m.top]);

  const svg = d3.select(el).append('svg').attr('width', width).attr('height', height).attr('class', 'timeline-svg')
    .attr('role', 'img').attr('aria-label', t('timeline'));
  const bw = (d) => Math.max(1, x(d3.utcDay.offset(d.date, step)) - x(d.date) - 1);
  svg.append('g').attr('class', 'bars').selectAll('rect').data(data).join('rect')
    .attr('class', 'bar').attr('x', (d) => x(d.date)).attr('width', bw)
    .attr('y', (d) => yE(d.events)).attr('height', (d) => yE(0) - yE(d.events))
    .attr('data-date', (d) => iso(d.date)).attr('data-events', (d) => d.events)
    .append('title').text((d) => `${iso(d.date)}: ${t('n_events', d.events)}, ${t('n_fatalities', d.fatalities)}`);
  svg.append('path').datum(data).attr('class', 'fatalities-line').attr('fill', 'none')
    .attr('d', d3.line().x((d) => x(d.date) + bw(d) / 2).y((d) => yF(d.fatalities)));
  svg.append('g').attr('transform', `translate(0,${height - m.bottom})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))).tickFormat(tickFormat()));
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(yE).ticks(4));
  svg.append('g').attr('class', 'axis-fatalities').attr('transform', `translate(${width - m.right},0)`).call(d3.axisRight(yF).ticks(4));

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
  el.append(h('div', { class: 'timeline-legend' },
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch bar-swatch' }), t('events')),
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch line-swatch' }), t('fatalities'))));
}
