// Event page: summary, claims (who said what), merged reports with their merge reasons and each
// source text with every evidence span highlighted, the audit trail, and review actions when signed in.
import { get, loadSession, patch, post, session } from './api.js';
import { correctionInputs, correctionValue } from './correction.js';
import { clear, fmtRange, fmtValue, h } from './dom.js';
import { highlight } from './highlight.js';
import {
  actionName, claimantTypeName, datePrecisionName, eventTypeName, fieldName, geoPrecisionName, getLang, mergeReasonText,
  qualifierName, subEventTypeName, t,
} from './i18n.js';
import { lastExplorerHash } from './explorer.js';
import { TYPE_COLOURS } from './map.js';

const CORRECTABLE = ['fatalities', 'wounded', 'date', 'event_type', 'sub_event_type', 'actor1', 'actor2',
  'location', 'admin1', 'admin2', 'lat', 'lon'];

// The merge reason stored with each report (merge.py, review.py), in words.
function reasonNodes(reason) {
  if (reason === null || reason === undefined || reason === '') return '–';
  if (typeof reason === 'string' || typeof reason === 'number') return String(reason);
  if (Array.isArray(reason)) return h('ul', { class: 'reasons' }, reason.map((r) => h('li', {}, fmtValue(r))));
  const r = reason;
  const link = (eid) => h('a', { href: `#/events/${eid}` }, `#${eid}`);
  if (r.new_event) return t('reason_new', r.candidates ?? 0);
  if (r.joined !== undefined) {
    return h('span', {}, t('reason_joined'), ' ', link(r.joined),
      r.score !== undefined ? ` (${t('reason_score')} ${Number(r.score).toFixed(1)})` : '',
      Array.isArray(r.reasons) && r.reasons.length ? h('ul', { class: 'reasons' }, r.reasons.map((x) => h('li', {}, h('bdi', { dir: 'auto' }, mergeReasonText(String(x)))))) : null);
  }
  if (r.from_event !== undefined) return h('span', {}, t('reason_merged', r.merged_by || '?'), ' ', link(r.from_event));
  if (r.split_from !== undefined) return h('span', {}, t('reason_split', r.by || '?'), ' ', link(r.split_from));
  return h('ul', { class: 'reasons' }, Object.entries(r).map(([k, v]) => h('li', {}, `${k}: ${fmtValue(v)}`)));
}

// a value of either direction inside text of the other: isolated, so "بلدة طفس, Dar'a" keeps its order
const bdi = (v) => (v instanceof Node ? v : h('bdi', {}, v));

function table(cls, headers, rows) {
  return h('table', { class: cls }, h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c instanceof Node ? c : h('bdi', {}, c)))))));
}

export function renderEvent(root, id) {
  let disposed = false;
  let flash = ''; // the outcome of the last review action, shown after the page reloads
  const box = h('div', { class: 'event-page', id: 'event-page', dataset: { eventId: id } }, h('p', { class: 'note' }, t('loading')));
  root.append(box);

  async function load() {
    let ev;
    try { ev = await get(`/events/${id}`); } catch (e) {
      if (!disposed) clear(box).append(h('a', { href: '#/' }, t('back')), h('p', { class: 'error' }, e.status === 404 ? t('not_found') : `${t('error')}: ${e.message}`));
      return;
    }
    if (disposed) return;
    clear(box);
    const status = h('p', { class: 'status-msg', id: 'review-status', role: 'status' }, flash);
    flash = '';
    const corrected = new Set(ev.corrected_fields || []);
    const mark = (f, v) => h('span', {}, v, corrected.has(f) ? h('span', { class: 'badge' }, t('corrected')) : null);

    box.append(
      h('a', { href: lastExplorerHash(), class: 'back' }, t('back')),
      h('h1', {}, `${t('event')} #${ev.id ?? id}`, ev.status ? h('span', { class: `badge status-${ev.status}`, id: 'event-status', dataset: { status: ev.status } }, t(`status_${ev.status}`)) : null),
    );

    // ---- summary
    const dl = h('dl', { class: 'summary', id: 'summary' });
    const row = (label, value, field) => dl.append(h('dt', {}, label), h('dd', { dataset: field ? { field } : {} }, field ? mark(field, bdi(value)) : bdi(value)));
    row(t('date'), `${ev.date || '–'}${ev.date_precision ? ` (${t('precision')}: ${datePrecisionName(ev.date_precision)})` : ''}`, 'date');
    row(t('event_type'), eventTypeName(ev.event_type), 'event_type');
    row(t('sub_event_type'), subEventTypeName(ev.sub_event_type), 'sub_event_type');
    // the actors, the place as the text wrote it, its district and governorate: in the interface's language
    const ar = getLang() === 'ar';
    row(t('actor1'), (ar && ev.actor1_ar) || ev.actor1 || '–', 'actor1');
    row(t('actor2'), (ar && ev.actor2_ar) || ev.actor2 || '–', 'actor2');
    const places = [ev.location, ar ? (ev.admin2_ar || ev.admin2) : ev.admin2, ar ? (ev.admin1_ar || ev.admin1) : ev.admin1].filter(Boolean);
    const sep = ar ? '، ' : ', ';
    row(t('location'), places.length ? h('span', {}, places.map((x, i) => [i ? sep : '', h('bdi', {}, x)])) : '–', 'location');
    // the point left to right whatever the language ("34.88, 38.87"), its precision in words after it
    row(t('coordinates'), ev.lat !== null && ev.lat !== undefined ? h('span', {}, h('bdi', { dir: 'ltr', class: 'coords' }, `${ev.lat}, ${ev.lon}`),
      ev.geo_precision ? ` (${t('precision')}: ${geoPrecisionName(ev.geo_precision)})` : '') : '–');
    row(t('fatalities'), fmtRange(ev.fatalities), 'fatalities');
    row(t('wounded'), fmtRange(ev.wounded), 'wounded');
    row(t('sources'), Array.isArray(ev.sources) ? ev.sources.join(', ') : (ev.sources || '–'));
    if ((ev.reasons || []).length) {
      row(t('needs_a_look'), h('span', { id: 'event-reasons' }, ev.reasons.map((r) => h('a', {
        class: `badge reason-${r}`, href: `#/review?reason=${r}`, dataset: { reason: r } }, t(`reason_${r}`)))));
    }
    box.append(h('section', { class: 'card' }, h('h2', {}, t('summary')), dl));

    // ---- review
    box.append(reviewPanel(ev, status));

    // ---- claims
    const claims = ev.claims || [];
    box.append(h('section', { class: 'card' }, h('h2', {}, t('claims')),
      claims.length ? table('claims', [t('claimant'), t('claimant_type'), t('category'), t('figure'), t('qualifier'), t('superseded'), t('document')],
        claims.map((c) => [c.claimant === 'outlet' && getLang() === 'ar' ? claimantTypeName('outlet') : (c.claimant || '–'), claimantTypeName(c.claimant_type), fieldName(c.kind || c.field || ''),
          fmtRange(c.figure ?? c.value ?? c), qualifierName(c.qualifier), c.superseded ? t('yes') : t('no'), c.source || c.doc || '–']))
        : h('p', { class: 'note' }, t('no_data'))));

    // ---- reports
    const reports = ev.reports || [];
    const repSection = h('section', { class: 'card', id: 'reports' }, h('h2', {}, `${t('merged_reports')} (${reports.length})`),
      h('p', { class: 'note' }, t('evidence_legend')), legend());
    for (const r of reports) repSection.append(reportBlock(r));
    box.append(repSection);

    // ---- audit
    const audit = ev.audit || [];
    box.append(h('section', { class: 'card', id: 'audit' }, h('h2', {}, t('audit')),
      audit.length ? table('audit', [t('user'), t('at'), t('action'), t('field'), t('old'), t('new'), t('note')],
        audit.map((a) => [a.user || '–', a.at || '–', actionName(a.action), a.field ? fieldName(a.field) : '–', fmtValue(a.old), fmtValue(a.new), a.note || '']))
        : h('p', { class: 'note' }, t('no_audit'))));
  }

  function legend() {
    return h('div', { class: 'legend' }, ['event', 'date', 'actor1', 'actor2', 'location', 'fatalities', 'wounded', 'weapons']
      .map((f) => h('mark', { class: `ev ev-${f} legend-mark` }, fieldName(f))));
  }

  // what extracted this report: the named rules that made its incident, rasad's version and the fingerprints
  function provenanceLine(r) {
    const rules = (r.event && r.event.rules) || [];
    const p = r.provenance || {};
    const names = { lexicon: t('fp_lexicon'), rules: t('fp_rules'), gazetteer: t('fp_gazetteer') };
    const prints = Object.keys(names).filter((k) => p[k]).map((k) => `${names[k]} ${String(p[k]).slice(0, 8)}`);
    if (!rules.length && !p.rasad) return null;
    return h('div', { class: 'provenance' }, h('span', { class: 'label' }, `${t('rules_fired')}: `),
      rules.length ? rules.map((x, i) => [i ? ', ' : '', h('code', {}, x)]) : '–',
      p.rasad ? h('span', { class: 'note' }, ` · rasad ${p.rasad}${prints.length ? ' · ' + prints.join(' · ') : ''}`) : null);
  }

  function reportBlock(r) {
    const evidence = (r.event && r.event.evidence) || r.evidence || [];
    const titleEl = h('h3', { class: 'doc-title', dir: 'auto' }, r.title || '');
    const textEl = h('div', { class: 'doc-text', dir: 'auto' }, t('loading'));
    const split = session.user
      ? h('label', { class: 'split-pick' }, h('input', { type: 'checkbox', class: 'split-check', value: String(r.report_id) }), t('select_for_split'))
      : null;
    const block = h('article', { class: 'report', dataset: { reportId: r.report_id, documentId: r.document_id } },
      h('div', { class: 'report-head' },
        h('strong', {}, `${t('report')} #${r.report_id}`),
        // outlet, day and file name, each isolated: "01_ambush.txt" keeps its order inside Arabic text
        [r.source, r.published, r.doc].filter(Boolean).map((x) => [' · ', h('bdi', { dir: 'auto', class: 'doc-meta' }, x)]),
        r.url ? [' · ', h('a', { href: r.url, rel: 'noopener noreferrer', target: '_blank' }, t('open_source'))] : null,
        split),
      h('div', { class: 'merge-reason' }, h('span', { class: 'label' }, `${t('merge_reason')}: `), reasonNodes(r.merge_reason)),
      provenanceLine(r), titleEl, textEl);
    const titleSpans = evidence.filter((e) => e.in === 'title');
    const textSpans = evidence.filter((e) => e.in !== 'title');
    const fill = (doc) => {
      clear(titleEl).append(highlight(doc.title || r.title || '', titleSpans));
      clear(textEl).append(highlight(doc.text || '', textSpans));
    };
    if (r.text !== undefined) fill(r);
    else if (r.document_id !== undefined && r.document_id !== null) {
      get(`/documents/${r.document_id}`).then((doc) => { if (!disposed) fill(doc); })
        .catch((e) => { if (!disposed) clear(textEl).append(h('span', { class: 'error' }, `${t('error')}: ${e.message}`)); });
    } else clear(textEl);
    return block;
  }

  function reviewPanel(ev, status) {
    const sec = h('section', { class: 'card review', id: 'review' }, h('h2', {}, t('review')));
    if (!session.user) { sec.append(h('p', { class: 'note' }, t('sign_in_to_review'))); return sec; }
    const act = async (fn) => {
      status.textContent = '';
      status.classList.remove('error');
      try {
        const res = await fn();
        flash = t('done');
        load();
        return res;
      } catch (e) {
        status.textContent = `${t('error')}: ${e.message}`;
        status.classList.add('error');
        if (e.status === 401) loadSession(); // the session ended (server restarted, signed out elsewhere)
        return null;
      }
    };
    const confirmBtn = h('button', { type: 'button', id: 'review-confirm' }, t('confirm'));
    const rejectBtn = h('button', { type: 'button', id: 'review-reject', class: 'danger' }, t('reject'));
    confirmBtn.addEventListener('click', () => act(() => post(`/events/${id}/confirm`)));
    rejectBtn.addEventListener('click', () => act(() => post(`/events/${id}/reject`)));

    // correct a field
    const fieldSel = h('select', { id: 'correct-field', name: 'field' }, CORRECTABLE.map((f) => h('option', { value: f }, fieldName(f))));
    const valueBox = h('span', { class: 'value-box' });
    const note = h('input', { type: 'text', id: 'correct-note', name: 'note' });
    const inputsFor = (f) => correctionInputs(valueBox, 'correct', f, ev, (g) => (g !== 'event_type' ? null
      : h('select', { id: 'correct-value', name: 'value' },
        Object.keys(TYPE_COLOURS).map((et) => h('option', { value: et, selected: et === ev.event_type }, eventTypeName(et))))));
    fieldSel.addEventListener('change', () => inputsFor(fieldSel.value));
    inputsFor(fieldSel.value);
    const form = h('form', { id: 'correct-form', class: 'correct' },
      h('label', { class: 'inline' }, t('field'), fieldSel), valueBox,
      h('label', { class: 'inline' }, t('note'), note),
      h('button', { type: 'submit', id: 'correct-save' }, t('save')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = fieldSel.value;
      const body = { [f]: correctionValue(form, 'correct', f) };
      if (note.value.trim()) body.note = note.value.trim();
      act(() => patch(`/events/${id}`, body));
    });

    // merge and split
    const otherId = h('input', { type: 'number', min: '1', step: '1', id: 'merge-other' });
    const mergeForm = h('form', { id: 'merge-form', class: 'inline-form' }, h('label', { class: 'inline' }, t('merge_with'), otherId),
      h('button', { type: 'submit', id: 'merge-button' }, t('merge')));
    mergeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (otherId.value) act(() => post(`/events/${id}/merge`, { other_id: Number(otherId.value) }));
    });
    const splitBtn = h('button', { type: 'button', id: 'split-button' }, t('split'));
    splitBtn.addEventListener('click', async () => {
      const ids = [...document.querySelectorAll('.split-check:checked')].map((c) => Number(c.value));
      if (!ids.length) return;
      const res = await act(() => post(`/events/${id}/split`, { report_ids: ids }));
      const newId = res && (res.new_event_id ?? res.event_id ?? res.id);
      if (newId !== undefined && newId !== null && Number(newId) !== Number(id)) window.location.hash = `#/events/${newId}`;
    });
    sec.append(h('div', { class: 'row' }, confirmBtn, rejectBtn), form, mergeForm, h('div', { class: 'row' }, splitBtn), status);
    return sec;
  }

  load();
  return { dispose() { disposed = true; } };
}
