// Explorer: filter panel, offline map (no tiles), timeline with a date brush, events table.
import { get, url } from './api.js';
import { clear, fmtRange, h } from './dom.js';
import { eventTypeName, getLang, t } from './i18n.js';
import { drawMap, governorateNamesAr } from './map.js';
import { drawTimeline } from './timeline.js';

const FILTER_KEYS = ['since', 'until', 'admin1', 'admin2', 'actor', 'event_type', 'min_fatalities', 'q', 'status'];
const STATUSES = ['all', 'unreviewed', 'confirmed', 'corrected', 'rejected'];
const STORE_KEY = 'rasad.filters';

// Filters survive a visit to an event page (sessionStorage), and can be given in the hash: #/?admin1=Homs
function loadFilters() {
  let f = {};
  try { f = JSON.parse(sessionStorage.getItem(STORE_KEY) || '{}') || {}; } catch (_e) { f = {}; }
  const qs = (window.location.hash.split('?')[1]) || '';
  if (qs) {
    f = {};
    for (const [k, v] of new URLSearchParams(qs)) if (FILTER_KEYS.includes(k)) f[k] = v;
  }
  return f;
}

const state = { filters: loadFilters(), page: 1, per_page: 25, sort: '-date', bin: 'week' };

function saveFilters() {
  try { sessionStorage.setItem(STORE_KEY, JSON.stringify(state.filters)); } catch (_e) { /* ignore */ }
}

function normFacet(v) {
  if (!v) return [];
  if (Array.isArray(v)) {
    return v.map((x) => {
      if (x === null || typeof x !== 'object') return { value: x, count: null };
      if (Array.isArray(x)) return { value: x[0], count: x[1] };
      return { value: x.value ?? x.name ?? x.key ?? x.admin1 ?? x.admin2 ?? x.actor ?? x.event_type, count: x.count ?? x.n ?? x.events ?? null };
    }).filter((x) => x.value !== null && x.value !== undefined && x.value !== '');
  }
  if (typeof v === 'object') return Object.entries(v).map(([value, count]) => ({ value, count }));
  return [];
}

function facetOf(facets, ...keys) {
  for (const k of keys) if (facets && facets[k]) return normFacet(facets[k]);
  return [];
}

export function renderExplorer(root) {
  state.filters = loadFilters();
  let disposed = false;
  let map = null;
  const seq = { table: 0, map: 0, timeline: 0 };

  // ---- filter panel
  const inputs = {};
  const mkSelect = (key, label) => {
    const sel = h('select', { id: `f-${key}`, name: key }, h('option', { value: '' }, t('any')));
    inputs[key] = sel;
    return h('label', { class: 'field' }, h('span', {}, label), sel);
  };
  const mkInput = (key, label, type, extra = {}) => {
    const inp = h('input', { id: `f-${key}`, name: key, type, ...extra });
    inputs[key] = inp;
    return h('label', { class: 'field' }, h('span', {}, label), inp);
  };
  const exportCsv = h('a', { id: 'export-csv', class: 'button', download: 'rasad-acled.csv' }, t('export_csv'));
  const exportGeo = h('a', { id: 'export-geojson', class: 'button', download: 'rasad.geojson' }, t('export_geojson'));
  const resetBtn = h('button', { type: 'button', id: 'f-reset' }, t('reset'));
  const panel = h('aside', { class: 'filters', id: 'filters' },
    h('h2', {}, t('filters')),
    mkInput('since', t('since'), 'date'),
    mkInput('until', t('until'), 'date'),
    mkSelect('admin1', t('admin1')),
    mkSelect('admin2', t('admin2')),
    mkSelect('actor', t('actor')),
    mkSelect('event_type', t('event_type')),
    mkInput('min_fatalities', t('min_fatalities'), 'number', { min: '0', step: '1' }),
    mkInput('q', t('q'), 'search'),
    mkSelect('status', t('status')),
    h('div', { class: 'row' }, resetBtn),
    h('div', { class: 'row' }, exportCsv, exportGeo),
  );

  inputs.status.firstChild.textContent = t('status_default');
  for (const st of STATUSES) inputs.status.append(h('option', { value: st }, t(`status_${st}`)));

  // ---- main column
  const mapEl = h('div', { id: 'map', class: 'map', dir: 'ltr' });
  const mapNote = h('p', { id: 'map-note', class: 'note' });
  const inView = h('input', { type: 'checkbox', id: 'f-inview' });
  const inViewLabel = h('label', { class: 'inline note' }, inView, t('in_view'));
  const legend = h('div', { class: 'legend', id: 'legend' });
  const binSel = h('select', { id: 'timeline-bin' },
    h('option', { value: 'week' }, t('bin_week')), h('option', { value: 'day' }, t('bin_day')));
  binSel.value = state.bin;
  const clearBrush = h('button', { type: 'button', id: 'timeline-clear' }, t('clear_brush'));
  const timelineEl = h('div', { id: 'timeline', class: 'timeline', dir: 'ltr' });
  const tableWrap = h('div', { id: 'events-table', class: 'table-wrap' });
  const pager = h('div', { class: 'pager', id: 'pager' });

  const mainCol = h('section', { class: 'main' },
    h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, t('map')), inViewLabel), mapEl, legend, mapNote),
    h('div', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, t('timeline')), binSel, clearBrush),
      timelineEl, h('p', { class: 'note' }, t('brush_hint'))),
    h('div', { class: 'card' }, h('h2', {}, t('events')), tableWrap, pager),
  );
  root.append(h('div', { class: 'explorer' }, panel, mainCol));

  // the table, timeline and exports can be limited to the map's visible area; the map itself is not
  const listFilters = () => (inView.checked && map ? { ...state.filters, bbox: map.bbox() } : { ...state.filters });
  const params = (extra = {}) => ({ ...listFilters(), ...extra });
  const withoutDates = () => { const f = listFilters(); delete f.since; delete f.until; return f; };

  function syncInputs() {
    for (const k of FILTER_KEYS) {
      const el = inputs[k];
      if (el && el.value !== (state.filters[k] ?? '')) {
        if (el.tagName === 'SELECT' && state.filters[k] && ![...el.options].some((o) => o.value === state.filters[k])) {
          el.append(h('option', { value: state.filters[k] }, state.filters[k]));
        }
        el.value = state.filters[k] ?? '';
      }
    }
    exportCsv.setAttribute('href', url('/export.csv', listFilters()));
    exportGeo.setAttribute('href', url('/export.geojson', listFilters()));
  }

  function setFilter(k, v) {
    if (v === '' || v === null || v === undefined) delete state.filters[k]; else state.filters[k] = String(v);
    state.page = 1;
    saveFilters();
    syncInputs();
    refresh({ timeline: true });
  }

  for (const k of FILTER_KEYS) {
    const el = inputs[k];
    el.addEventListener('change', () => setFilter(k, el.value.trim()));
    if (k === 'q') {
      let timer = null;
      el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => setFilter('q', el.value.trim()), 400); });
    }
  }
  resetBtn.addEventListener('click', () => { state.filters = {}; state.page = 1; saveFilters(); syncInputs(); refresh({ timeline: true }); });
  binSel.addEventListener('change', () => { state.bin = binSel.value; loadTimeline(); });
  clearBrush.addEventListener('click', () => {
    delete state.filters.since; delete state.filters.until; state.page = 1; saveFilters(); syncInputs(); refresh({ timeline: true });
  });

  // ---- facets
  const arNames = getLang() === 'ar' ? governorateNamesAr() : Promise.resolve(new Map());
  let govName = (g) => g;
  Promise.all([get('/facets'), arNames]).then(([facets, names]) => {
    if (disposed) return;
    if (names.size) { govName = (g) => names.get(g) || g; loadTable(); }
    const fill = (key, list, label = (v) => v) => {
      const sel = inputs[key];
      for (const { value, count } of list) {
        if ([...sel.options].some((o) => o.value === String(value))) continue;
        sel.append(h('option', { value: String(value) }, count === null || count === undefined ? label(value) : `${label(value)} (${count})`));
      }
    };
    fill('admin1', facetOf(facets, 'admin1', 'governorates'), govName);
    fill('admin2', facetOf(facets, 'admin2', 'districts'));
    fill('actor', facetOf(facets, 'actors', 'actor'));
    fill('event_type', facetOf(facets, 'event_types', 'event_type'), eventTypeName);
    syncInputs();
  }).catch((e) => { mapNote.textContent = `${t('error')}: facets: ${e.message}`; });

  // ---- map
  map = drawMap(mapEl, legend, mapNote);

  const inViewChanged = () => { state.page = 1; syncInputs(); loadTable(); loadTimeline(); };
  inView.addEventListener('change', inViewChanged);
  // the map is asked again for its new view and zoom (points or cells), a moment after the last move
  let moveTimer = null;
  map.onMove(() => {
    if (inView.checked) inViewChanged();
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => { if (!disposed) loadMap(); }, 250);
  });

  // the filters (never the in-view box: the map shows its own view) with the map's zoom and padded view
  async function loadMap() {
    const n = ++seq.map;
    try {
      const fc = await get('/map', { ...state.filters, ...map.view() });
      if (!disposed && n === seq.map) map.setEvents(fc);
    } catch (e) { if (!disposed) mapNote.textContent = `${t('error')}: ${e.message}`; }
  }

  // ---- timeline
  async function loadTimeline() {
    const n = ++seq.timeline;
    try {
      const rows = await get('/timeline', { ...withoutDates(), bin: state.bin });
      if (disposed || n !== seq.timeline) return;
      drawTimeline(timelineEl, Array.isArray(rows) ? rows : [], {
        bin: state.bin, since: state.filters.since, until: state.filters.until,
        onBrush: (since, until) => {
          if (since) state.filters.since = since; else delete state.filters.since;
          if (until) state.filters.until = until; else delete state.filters.until;
          state.page = 1; saveFilters(); syncInputs(); refresh({ timeline: false });
        },
      });
    } catch (e) { if (!disposed) { clear(timelineEl).append(h('p', { class: 'error' }, `${t('error')}: ${e.message}`)); } }
  }

  // ---- table
  const SORTABLE = { id: 'id', date: 'date', fatalities: 'fatalities' };
  async function loadTable() {
    const n = ++seq.table;
    let data;
    try {
      data = await get('/events', params({ page: state.page, per_page: state.per_page, sort: state.sort }));
    } catch (e) {
      if (!disposed) clear(tableWrap).append(h('p', { class: 'error' }, `${t('error')}: ${e.message}`));
      return;
    }
    if (disposed || n !== seq.table) return;
    const events = data.events || [];
    const head = (key, label) => {
      if (!SORTABLE[key]) return h('th', {}, label);
      const s = SORTABLE[key];
      const active = state.sort === s || state.sort === `-${s}`;
      const arrow = !active ? '' : (state.sort.startsWith('-') ? ' ▼' : ' ▲');
      const btn = h('button', { type: 'button', class: 'sort', dataset: { sort: s } }, label + arrow);
      btn.addEventListener('click', () => {
        // date and fatalities toggle; the API sorts ids ascending only
        state.sort = s === 'id' ? 'id' : (state.sort === `-${s}` ? s : `-${s}`);
        state.page = 1; loadTable();
      });
      return h('th', { 'aria-sort': active ? (state.sort.startsWith('-') ? 'descending' : 'ascending') : null }, btn);
    };
    const table = h('table', { class: 'events', id: 'events' },
      h('thead', {}, h('tr', {},
        head('id', t('id')), head('date', t('date')), head('type', t('type')), head('actors', t('actors')),
        head('location', t('location')), head('admin1', t('admin1')), head('fatalities', t('fatalities')),
        head('wounded', t('wounded')), head('sources', t('sources')), head('status', t('status')))),
      h('tbody', {}, events.map((ev) => h('tr', { dataset: { eventId: ev.id } },
        h('td', {}, h('a', { href: `#/events/${ev.id}`, class: 'event-link' }, `#${ev.id}`)),
        h('td', { class: 'nowrap' }, ev.date || '–'),
        h('td', {}, eventTypeName(ev.event_type), ev.sub_event_type ? h('div', { class: 'sub' }, ev.sub_event_type) : null),
        h('td', {}, [ev.actor1, ev.actor2].filter(Boolean).join(' → ') || '–'),
        h('td', {}, ev.location || '–', ev.admin2 ? h('div', { class: 'sub' }, ev.admin2) : null),
        h('td', { dataset: { admin1: ev.admin1 || '' } }, ev.admin1 ? govName(ev.admin1) : '–'),
        h('td', { class: 'num' }, fmtRange(ev.fatalities),
          (ev.corrected_fields || []).includes('fatalities') ? h('span', { class: 'badge' }, t('corrected')) : null),
        h('td', { class: 'num' }, fmtRange(ev.wounded)),
        h('td', {}, Array.isArray(ev.sources) ? ev.sources.join(', ') : (ev.sources || ''),
          ev.report_count ? h('div', { class: 'sub' }, `${ev.report_count} ${t('reports')}`) : null),
        h('td', {}, ev.status ? t(`status_${ev.status}`) : ''),
      ))),
    );
    clear(tableWrap).append(events.length ? table : h('p', { class: 'note', id: 'no-events' }, t('no_events')));
    const total = data.total ?? events.length;
    // a q= search counts its matches up to 10,000 only ("total_exact": false beyond): shown as "10,000+"
    const shownTotal = data.total_exact === false ? `${total.toLocaleString('en-US')}+` : total;
    const pages = Math.max(1, Math.ceil(total / (data.per_page || state.per_page)));
    const prev = h('button', { type: 'button', id: 'page-prev', disabled: state.page <= 1 }, t('prev'));
    const next = h('button', { type: 'button', id: 'page-next', disabled: state.page >= pages }, t('next'));
    prev.addEventListener('click', () => { state.page -= 1; loadTable(); });
    next.addEventListener('click', () => { state.page += 1; loadTable(); });
    const perPage = h('select', { id: 'per-page', 'aria-label': t('per_page') },
      [5, 10, 25, 50, 100].map((n) => h('option', { value: String(n), selected: n === state.per_page }, `${n} / ${t('page')}`)));
    perPage.addEventListener('change', () => { state.per_page = Number(perPage.value); state.page = 1; loadTable(); });
    clear(pager).append(prev, h('span', { id: 'page-info', dataset: { total, exact: String(data.total_exact !== false), page: state.page, pages } },
      t('page_of', state.page, pages, shownTotal)), next, perPage);
  }

  function refresh({ timeline = true } = {}) {
    loadTable();
    loadMap();
    if (timeline) loadTimeline();
  }

  syncInputs();
  refresh({ timeline: true });

  return {
    dispose() { disposed = true; clearTimeout(moveTimer); if (map) map.dispose(); },
  };
}
