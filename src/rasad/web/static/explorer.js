// Explorer: filter panel, offline map (no tiles), timeline with a date brush, events table.
import { get, url } from './api.js';
import { append, clear, fmtRange, h } from './dom.js';
import { actorName, districtName, eventTypeName, getLang, governorateName, learnNames, subEventTypeName, t } from './i18n.js';
import { drawMap } from './map.js';
import { drawTimeline } from './timeline.js';

export const FILTER_KEYS = ['since', 'until', 'admin1', 'admin2', 'actor', 'event_type', 'min_fatalities', 'q', 'status', 'reason'];
const STATUSES = ['all', 'unreviewed', 'confirmed', 'corrected', 'rejected'];
const SORTS = ['-date', 'date', '-fatalities', 'fatalities', 'id'];
const PER_PAGE = [5, 10, 25, 50, 100];
const STORE_KEY = 'rasad.explorer';

// The whole view is in the URL, so that it can be shared and reloaded, and back / forward step through it:
// #/?admin1=Homs&since=2024-01-01&event=12&map=7.5/35.1234/38.5678&sort=-fatalities&page=2
//   every filter, the selected event, the map view (zoom/lat/lon), the table's sort, page and size, the
//   timeline's bin and "only events in the map view" (inview=1).
// A filter, sort, page or selection adds a history entry; moving the map replaces the current one (a pan
// is not a step to go back to), so going back restores the previous filter with the view it was seen in.
// #/ without a query restores the last view of this tab (sessionStorage), e.g. coming back from an event.
export function parseView(qs) {
  const p = new URLSearchParams(qs || '');
  const v = { filters: {}, event: null, map: null, sort: '-date', page: 1, per_page: 25, bin: 'auto', inview: false };
  for (const k of FILTER_KEYS) if (p.get(k)) v.filters[k] = p.get(k);
  if (/^\d+$/.test(p.get('event') || '')) v.event = Number(p.get('event'));
  const m = (p.get('map') || '').split('/').map(Number);
  if (m.length === 3 && m.every(Number.isFinite)) v.map = { zoom: m[0], lat: m[1], lon: m[2] };
  if (SORTS.includes(p.get('sort'))) v.sort = p.get('sort');
  if (/^\d+$/.test(p.get('page') || '') && Number(p.get('page')) >= 1) v.page = Number(p.get('page'));
  if (PER_PAGE.includes(Number(p.get('per_page')))) v.per_page = Number(p.get('per_page'));
  if (['auto', 'day', 'week', 'month'].includes(p.get('bin'))) v.bin = p.get('bin');
  v.inview = p.get('inview') === '1';
  return v;
}

function viewQuery(v) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (v.filters[k] !== undefined && v.filters[k] !== '') p.set(k, v.filters[k]);
  if (v.event !== null && v.event !== undefined) p.set('event', String(v.event));
  if (v.sort !== '-date') p.set('sort', v.sort);
  if (v.page !== 1) p.set('page', String(v.page));
  if (v.per_page !== 25) p.set('per_page', String(v.per_page));
  if (v.bin !== 'auto') p.set('bin', v.bin);
  if (v.inview) p.set('inview', '1');
  if (v.map) p.set('map', `${+v.map.zoom.toFixed(2)}/${v.map.lat.toFixed(4)}/${v.map.lon.toFixed(4)}`);
  return p.toString().replace(/%2F/g, '/').replace(/%2C/g, ','); // both allowed as such in a query: readable URLs
}

function hashQuery() {
  const hash = window.location.hash || '#/';
  const i = hash.indexOf('?');
  return i < 0 ? '' : hash.slice(i + 1);
}

// The last view of the explorer in this tab, for #/ without a query (the event page's "back" link)
export function lastExplorerHash() {
  try { const q = sessionStorage.getItem(STORE_KEY); return q ? `#/?${q}` : '#/'; } catch (_e) { return '#/'; }
}

function readView() {
  let qs = hashQuery();
  if (!qs) { try { qs = sessionStorage.getItem(STORE_KEY) || ''; } catch (_e) { qs = ''; } }
  return parseView(qs);
}

const state = readView();

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
  Object.assign(state, readView());
  let disposed = false;
  let map = null;
  const seq = { table: 0, map: 0, timeline: 0, reasons: 0, fit: 0 };

  // the URL of what is on screen: a new history entry (push) or the current one updated (a map move)
  function writeUrl(push) {
    if (map) state.map = map.center();
    const q = viewQuery(state);
    try { sessionStorage.setItem(STORE_KEY, q); } catch (_e) { /* private mode */ }
    const hash = `#/${q ? `?${q}` : ''}`;
    if (hash === (window.location.hash || '#/')) return;
    if (push) window.history.pushState(null, '', hash); else window.history.replaceState(null, '', hash);
  }

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
    mkSelect('reason', t('needs_a_look')),
    h('a', { href: '#/review', id: 'open-queue', class: 'note' }, t('open_queue')),
    h('div', { class: 'row' }, resetBtn),
    h('div', { class: 'row' }, exportCsv, exportGeo),
  );

  inputs.status.firstChild.textContent = t('status_default');
  for (const st of STATUSES) inputs.status.append(h('option', { value: st }, t(`status_${st}`)));

  // ---- main column
  const mapEl = h('div', { id: 'map', class: 'map', dir: 'ltr' });
  const mapNote = h('p', { id: 'map-note', class: 'note' });
  // the events of the selection the map cannot show (no point), counted, one click from their list
  const unplaced = h('p', { id: 'map-unplaced', class: 'note', hidden: true });
  const inView = h('input', { type: 'checkbox', id: 'f-inview' });
  const inViewLabel = h('label', { class: 'inline note' }, inView, t('in_view'));
  const fitButton = h('button', { type: 'button', id: 'map-fit' }, t('zoom_to_selection'));
  const legend = h('div', { class: 'legend', id: 'legend' });
  const binSel = h('select', { id: 'timeline-bin' }, ['auto', 'day', 'week', 'month'].map((b) => h('option', { value: b }, t(`bin_${b}`))));
  const clearBrush = h('button', { type: 'button', id: 'timeline-clear' }, t('clear_brush'));
  const timelineEl = h('div', { id: 'timeline', class: 'timeline', dir: 'ltr' });
  const selectedBox = h('div', { id: 'selected-event', class: 'selected-event', hidden: true });
  const tableWrap = h('div', { id: 'events-table', class: 'table-wrap' });
  const pager = h('div', { class: 'pager', id: 'pager' });

  const mainCol = h('section', { class: 'main' },
    h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, t('map')), fitButton, inViewLabel), mapEl, legend, unplaced, mapNote),
    h('div', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, t('timeline')), binSel, clearBrush),
      timelineEl, h('p', { class: 'note' }, t('brush_hint'))),
    h('div', { class: 'card' }, h('h2', {}, t('events')), selectedBox, tableWrap, pager),
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
    binSel.value = state.bin;
    inView.checked = state.inview;
    exportCsv.setAttribute('href', url('/export.csv', listFilters()));
    exportGeo.setAttribute('href', url('/export.geojson', listFilters()));
  }

  // a change of filters: back to page 1, a history entry, everything asked again
  function filtersChanged({ timeline = true } = {}) {
    state.page = 1;
    syncInputs();
    writeUrl(true);
    refresh({ timeline });
  }

  function setFilter(k, v) {
    if (v === '' || v === null || v === undefined) delete state.filters[k]; else state.filters[k] = String(v);
    filtersChanged();
    // a chosen governorate or district: the map goes to its events
    if ((k === 'admin1' || k === 'admin2') && state.filters[k]) zoomToSelection();
  }

  for (const k of FILTER_KEYS) {
    const el = inputs[k];
    el.addEventListener('change', () => setFilter(k, el.value.trim()));
    if (k === 'q') {
      let timer = null;
      el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => setFilter('q', el.value.trim()), 400); });
    }
  }
  resetBtn.addEventListener('click', () => { state.filters = {}; filtersChanged(); });
  binSel.addEventListener('change', () => { state.bin = binSel.value; writeUrl(true); loadTimeline(); });
  clearBrush.addEventListener('click', () => { delete state.filters.since; delete state.filters.until; filtersChanged(); });

  // ---- facets (with the Arabic names of governorates, districts and actors)
  get('/facets').then((facets) => {
    if (disposed) return;
    learnNames('admin1', facetOf(facets, 'admin1').map((x, i) => ({ ...x, name_ar: facets.admin1[i]?.name_ar })));
    learnNames('admin2', facets.admin2 || []);
    learnNames('actor', facets.actor || []);
    if (getLang() === 'ar') { loadTable(); showSelected(); }
    const fill = (key, list, label = (v) => v) => {
      const sel = inputs[key];
      for (const { value, count } of list) {
        const text = count === null || count === undefined ? label(value) : `${label(value)} (${count})`;
        const have = [...sel.options].find((o) => o.value === String(value));
        if (have) { have.textContent = text; continue; } // an option the URL added before the facets came
        sel.append(h('option', { value: String(value) }, text));
      }
    };
    fill('admin1', facetOf(facets, 'admin1', 'governorates'), governorateName);
    fill('admin2', facetOf(facets, 'admin2', 'districts'), (d) => districtName(d));
    fill('actor', facetOf(facets, 'actors', 'actor'), actorName);
    fill('event_type', facetOf(facets, 'event_types', 'event_type'), eventTypeName);
    syncInputs();
  }).catch((e) => { mapNote.textContent = `${t('error')}: facets: ${e.message}`; });

  // ---- map
  map = drawMap(mapEl, legend, mapNote, { view: state.map, onSelect: (id) => select(id, { reveal: false }) });

  inView.addEventListener('change', () => { state.inview = inView.checked; state.page = 1; syncInputs(); writeUrl(true); loadTable(); loadTimeline(); });
  // the map is asked again for its new view and zoom (points or cells), a moment after the last move
  let moveTimer = null;
  map.onMove(() => {
    writeUrl(false);
    if (inView.checked) { state.page = 1; syncInputs(); loadTable(); loadTimeline(); }
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => { if (!disposed) loadMap(); }, 250);
  });

  // the map's view fitted to every event of the filter (their points, or the grid cells that hold them)
  async function zoomToSelection() {
    const n = ++seq.fit;
    try {
      const fc = await get('/map', { ...state.filters, zoom: 6 });
      if (!disposed && n === seq.fit) map.fitTo(fc);
    } catch (e) { if (!disposed) mapNote.textContent = `${t('error')}: ${e.message}`; }
  }
  fitButton.addEventListener('click', zoomToSelection);

  // the filters (never the in-view box: the map shows its own view) with the map's zoom and padded view
  async function loadMap() {
    const n = ++seq.map;
    try {
      const fc = await get('/map', { ...state.filters, ...map.view() });
      if (!disposed && n === seq.map) { map.setEvents(fc); map.select(state.event, { reveal: false }); }
    } catch (e) { if (!disposed) mapNote.textContent = `${t('error')}: ${e.message}`; }
  }

  // ---- the selected event: its row marked, its marker's popup open, a short summary above the table
  function select(id, { reveal = true, push = true } = {}) {
    state.event = id === state.event && reveal ? null : id; // clicking the selected row again unselects it
    for (const tr of tableWrap.querySelectorAll('tbody tr')) {
      const on = Number(tr.dataset.eventId) === state.event;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
    }
    if (push) writeUrl(true); // before the map moves to it: a move rewrites the current entry in place
    if (map) map.select(state.event, { reveal });
    showSelected();
  }

  async function showSelected() {
    const id = state.event;
    if (id === null) { selectedBox.hidden = true; clear(selectedBox); delete selectedBox.dataset.eventId; return; }
    let ev;
    try { ev = await get(`/events/${id}`); } catch (_e) { ev = null; }
    if (disposed || id !== state.event) return;
    selectedBox.hidden = false;
    selectedBox.dataset.eventId = String(id);
    const unselect = h('button', { type: 'button', id: 'unselect', 'aria-label': t('unselect') }, '×');
    unselect.addEventListener('click', () => select(null, { reveal: false }));
    append(clear(selectedBox), [h('strong', {}, `${t('selected')}: `),
      h('a', { href: `#/events/${id}`, class: 'event-link' }, `#${id}`), ' ',
      ev ? [ev.date || '–', ' · ', eventTypeName(ev.event_type), ' · ',
        [ev.location, ev.admin1 ? governorateName(ev.admin1) : null].filter(Boolean)
          .map((x, i) => [i ? (getLang() === 'ar' ? '، ' : ', ') : '', h('bdi', {}, x)]),
        ' · ', `${t('fatalities')}: ${fmtRange(ev.fatalities)}`] : t('not_found'),
      ' ', unselect]);
  }

  // ---- timeline
  async function loadTimeline() {
    const n = ++seq.timeline;
    try {
      const rows = await get('/timeline', { ...withoutDates(), bin: 'day' }); // binned in drawTimeline
      if (disposed || n !== seq.timeline) return;
      drawTimeline(timelineEl, Array.isArray(rows) ? rows : [], {
        bin: state.bin, since: state.filters.since, until: state.filters.until,
        onBrush: (since, until) => {
          if (since) state.filters.since = since; else delete state.filters.since;
          if (until) state.filters.until = until; else delete state.filters.until;
          filtersChanged({ timeline: false });
        },
      });
    } catch (e) { if (!disposed) { clear(timelineEl).append(h('p', { class: 'error' }, `${t('error')}: ${e.message}`)); } }
  }

  // ---- table
  const SORTABLE = { id: 'id', date: 'date', fatalities: 'fatalities' };
  const tableChanged = () => { writeUrl(true); loadTable(); };
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
        state.page = 1; tableChanged();
      });
      return h('th', { 'aria-sort': active ? (state.sort.startsWith('-') ? 'descending' : 'ascending') : null }, btn);
    };
    const table = h('table', { class: 'events', id: 'events' },
      h('thead', {}, h('tr', {},
        head('id', t('id')), head('date', t('date')), head('type', t('type')), head('actors', t('actors')),
        head('location', t('location')), head('admin1', t('admin1')), head('fatalities', t('fatalities')),
        head('wounded', t('wounded')), head('sources', t('sources')), head('status', t('status')))),
      h('tbody', {}, events.map((ev) => {
        const tr = h('tr', { dataset: { eventId: ev.id }, class: ev.id === state.event ? 'selected' : null,
          'aria-selected': String(ev.id === state.event) },
        h('td', {}, h('a', { href: `#/events/${ev.id}`, class: 'event-link' }, `#${ev.id}`)),
        h('td', { class: 'nowrap' }, ev.date || '–'),
        h('td', {}, eventTypeName(ev.event_type), ev.sub_event_type ? h('div', { class: 'sub' }, subEventTypeName(ev.sub_event_type)) : null),
        h('td', {}, h('bdi', {}, [ev.actor1, ev.actor2].filter(Boolean).map(actorName).join(' → ') || '–')),
        h('td', {}, h('bdi', {}, ev.location || '–'),
          ev.admin2 ? h('div', { class: 'sub' }, h('bdi', {}, districtName(ev.admin2, ev.admin2_ar))) : null),
        h('td', { dataset: { admin1: ev.admin1 || '' } }, governorateName(ev.admin1)),
        h('td', { class: 'num' }, fmtRange(ev.fatalities),
          (ev.corrected_fields || []).includes('fatalities') ? h('span', { class: 'badge' }, t('corrected')) : null),
        h('td', { class: 'num' }, fmtRange(ev.wounded)),
        h('td', {}, h('bdi', {}, Array.isArray(ev.sources) ? ev.sources.join(', ') : (ev.sources || '')),
          ev.report_count ? h('div', { class: 'sub' }, t('n_reports', ev.report_count)) : null),
        h('td', {}, ev.status ? t(`status_${ev.status}`) : ''));
        // a click on the row (not on its link) selects the event: its marker opens on the map
        tr.addEventListener('click', (e) => { if (!e.target.closest('a')) select(ev.id); });
        return tr;
      })),
    );
    clear(tableWrap).append(events.length ? table : h('p', { class: 'note', id: 'no-events' }, t('no_events')));
    const total = data.total ?? events.length;
    // a count that would read too many events (a q= search, filters the rollups do not hold) stops at 10,000
    // ("total_exact": false): shown as "10,000+", and there are pages after the last one it knows of
    const exact = data.total_exact !== false;
    const shownTotal = exact ? total : `${total.toLocaleString('en-US')}+`;
    const pages = Math.max(1, Math.ceil(total / (data.per_page || state.per_page)));
    const prev = h('button', { type: 'button', id: 'page-prev', disabled: state.page <= 1 }, t('prev'));
    const next = h('button', { type: 'button', id: 'page-next', disabled: exact ? state.page >= pages
      : events.length < (data.per_page || state.per_page) }, t('next'));
    prev.addEventListener('click', () => { state.page -= 1; tableChanged(); });
    next.addEventListener('click', () => { state.page += 1; tableChanged(); });
    const perPage = h('select', { id: 'per-page', 'aria-label': t('per_page') },
      PER_PAGE.map((k) => h('option', { value: String(k), selected: k === state.per_page }, `${k} / ${t('page')}`)));
    perPage.addEventListener('change', () => { state.per_page = Number(perPage.value); state.page = 1; tableChanged(); });
    clear(pager).append(prev, h('span', { id: 'page-info', dataset: { total, exact: String(data.total_exact !== false), page: state.page, pages } },
      t('page_of', state.page, exact ? pages : `${Math.max(pages, state.page)}+`, shownTotal)), next, perPage);
  }

  // the count of each reason for a look among the events the other filters select
  async function loadReasons() {
    const n = ++seq.reasons;
    let counts;
    try { counts = await get('/review/reasons', { ...listFilters(), reason: undefined }); } catch (_e) { return; }
    if (disposed || n !== seq.reasons) return;
    const sel = inputs.reason;
    const want = [['any', t('reason_any'), counts.total], ...counts.reasons.map((r) => [r.reason, t(`reason_${r.reason}`), r.count])];
    clear(sel).append(h('option', { value: '' }, t('any')),
      ...want.map(([value, label, count]) => h('option', { value, dataset: { count } }, `${label} (${count})`)));
    sel.value = state.filters.reason ?? '';
    const off = (counts.reasons.find((r) => r.reason === 'no_coordinates') || {}).count || 0;
    unplaced.hidden = off === 0;
    unplaced.dataset.count = String(off);
    const list = h('button', { type: 'button', id: 'list-unplaced', class: 'linkish' }, t('list_them'));
    list.addEventListener('click', () => setFilter('reason', 'no_coordinates'));
    append(clear(unplaced), [t('n_unplaced', off), ' ', state.filters.reason === 'no_coordinates' ? null : list]);
  }

  function refresh({ timeline = true } = {}) {
    loadTable();
    loadMap();
    loadReasons();
    if (timeline) loadTimeline();
  }

  syncInputs();
  writeUrl(false); // #/ alone shows the tab's last view: the URL says which
  refresh({ timeline: true });
  showSelected();

  return {
    // back / forward (or a link) to another view of the explorer: applied without rebuilding the page
    update() {
      Object.assign(state, readView());
      syncInputs();
      if (state.map) map.setCenter(state.map);
      refresh({ timeline: true });
      select(state.event, { reveal: false, push: false });
    },
    dispose() { disposed = true; clearTimeout(moveTimer); if (map) map.dispose(); },
  };
}
