// Review queue (#/review): the events that need a look, by reason (the warnings their reports carry and
// gaps in their record), with confirm / correct / reject from the list and keyboard shortcuts. Every
// action goes through the review API, so it lands in the event's audit trail like one from its page.
//   #/review?reason=hedged&status=unreviewed&sort=-reasons&page=2
import { get, loadSession, patch, post, session } from './api.js';
import { correctionInputs, correctionValue } from './correction.js';
import { append, clear, fmtRange, h } from './dom.js';
import { actorName, districtName, eventTypeName, fieldName, getLang, governorateName, learnNames, subEventTypeName, t } from './i18n.js';

export const REASONS = ['hedged', 'attacker_elsewhere', 'governorate_inferred', 'admin1_level', 'no_admin1',
  'place_ambiguous', 'no_coordinates', 'undated', 'no_figure', 'recalled', 'outside_syria'];
const STATUSES = ['unreviewed', 'all', 'confirmed', 'corrected', 'rejected'];
const SORTS = ['-reasons', '-date', 'date', '-fatalities', 'fatalities', 'id'];
const PER_PAGE = 25;
// the fields the list corrects in place (the event page corrects every field)
const FIELDS = ['fatalities', 'wounded', 'admin1', 'location', 'date', 'actor1', 'actor2', 'event_type', 'lat', 'lon'];

function readQueue() {
  const hash = window.location.hash || '';
  const p = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  return {
    reason: REASONS.includes(p.get('reason')) ? p.get('reason') : 'any',
    status: STATUSES.includes(p.get('status')) ? p.get('status') : 'unreviewed',
    sort: SORTS.includes(p.get('sort')) ? p.get('sort') : '-reasons',
    page: Math.max(1, Number(p.get('page')) || 1),
  };
}

function queueHash(q) {
  const p = new URLSearchParams();
  if (q.reason !== 'any') p.set('reason', q.reason);
  if (q.status !== 'unreviewed') p.set('status', q.status);
  if (q.sort !== '-reasons') p.set('sort', q.sort);
  if (q.page !== 1) p.set('page', String(q.page));
  const s = p.toString();
  return `#/review${s ? `?${s}` : ''}`;
}

export function reasonName(r) { return t(`reason_${r}`); }

// the note an action from the queue leaves in the audit trail (stored data: the reasons' codes, not words)
const queueNote = (ev) => `review queue: ${(ev.reasons || []).join(', ') || 'no reason left'}`;

export function renderReview(root) {
  const q = readQueue();
  let disposed = false;
  let rows = []; // the events of the page on screen
  let cursor = 0; // the row the keyboard acts on
  let seq = 0;
  const go = (change) => { window.location.hash = queueHash({ ...q, page: 1, ...change }); }; // a history entry

  const reasonList = h('ul', { class: 'reason-list', id: 'queue-reasons' });
  const statusSel = h('select', { id: 'queue-status' }, STATUSES.map((s) => h('option', { value: s, selected: s === q.status }, t(`status_${s}`))));
  statusSel.addEventListener('change', () => go({ status: statusSel.value }));
  const panel = h('aside', { class: 'filters', id: 'queue-panel' },
    h('h2', {}, t('needs_a_look')),
    h('label', { class: 'field' }, h('span', {}, t('status')), statusSel),
    reasonList,
    h('h2', {}, t('shortcuts')),
    h('dl', { class: 'shortcuts' }, [['j / ↓', t('key_next')], ['k / ↑', t('key_prev')], ['c', t('confirm')],
      ['e', t('correct')], ['x', t('reject')], ['o / Enter', t('key_open')], ['Esc', t('key_close')]]
      .map(([k, what]) => [h('dt', {}, h('kbd', { dir: 'ltr' }, k)), h('dd', {}, what)])));
  const status = h('p', { class: 'status-msg', id: 'queue-status-msg', role: 'status' });
  const tableWrap = h('div', { id: 'queue-table', class: 'table-wrap' }, t('loading'));
  const pager = h('div', { class: 'pager', id: 'queue-pager' });
  const signNote = session.user ? null : h('p', { class: 'note', id: 'queue-signin' }, t('sign_in_to_review'));
  root.append(h('div', { class: 'explorer review-queue' }, panel, h('section', { class: 'main' },
    h('div', { class: 'card' }, h('h1', {}, t('review_queue')), signNote, status, tableWrap, pager))));

  async function loadReasons() {
    const counts = await get('/review/reasons', { status: q.status });
    if (disposed) return;
    const item = (reason, n) => {
      const btn = h('button', { type: 'button', class: reason === q.reason ? 'reason active' : 'reason',
        dataset: { reason, count: n }, 'aria-pressed': String(reason === q.reason) },
      h('span', {}, reason === 'any' ? t('reason_any') : reasonName(reason)), h('span', { class: 'count' }, String(n)));
      btn.addEventListener('click', () => go({ reason }));
      return h('li', {}, btn);
    };
    clear(reasonList).append(item('any', counts.total), ...counts.reasons.map((r) => item(r.reason, r.count)));
  }

  async function loadList(keep = 0) {
    const n = ++seq;
    let data;
    try {
      data = await get('/events', { reason: q.reason, status: q.status, sort: q.sort, page: q.page, per_page: PER_PAGE });
    } catch (e) {
      if (!disposed) clear(tableWrap).append(h('p', { class: 'error' }, `${t('error')}: ${e.message}`));
      return;
    }
    if (disposed || n !== seq) return;
    rows = data.events || [];
    cursor = Math.min(keep, Math.max(0, rows.length - 1));
    const head = (key, label) => {
      const sorts = { id: ['id'], date: ['-date', 'date'], fatalities: ['-fatalities', 'fatalities'], reasons: ['-reasons'] }[key];
      if (!sorts) return h('th', {}, label);
      const active = sorts.includes(q.sort);
      const arrow = !active ? '' : (q.sort.startsWith('-') ? ' ▼' : ' ▲');
      const btn = h('button', { type: 'button', class: 'sort', dataset: { sort: key } }, label + arrow);
      btn.addEventListener('click', () => go({ sort: sorts[(sorts.indexOf(q.sort) + 1) % sorts.length] }));
      return h('th', { 'aria-sort': active ? (q.sort.startsWith('-') ? 'descending' : 'ascending') : null }, btn);
    };
    const table = h('table', { class: 'events queue', id: 'queue' },
      h('thead', {}, h('tr', {}, head('id', t('id')), head('date', t('date')), head('type', t('type')),
        head('actors', t('actors')), head('location', t('location')), head('fatalities', t('fatalities')),
        head('reasons', t('reasons')), head('actions', t('action')))),
      h('tbody', {}, rows.map((ev, i) => row(ev, i))));
    clear(tableWrap).append(rows.length ? table : h('p', { class: 'note', id: 'queue-empty' }, t('queue_empty')));
    const total = data.total ?? rows.length;
    const exact = data.total_exact !== false; // an inexact total is a floor: "10,000+", more pages after
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const prev = h('button', { type: 'button', id: 'queue-prev', disabled: q.page <= 1 }, t('prev'));
    const next = h('button', { type: 'button', id: 'queue-next', disabled: exact ? q.page >= pages : rows.length < PER_PAGE }, t('next'));
    prev.addEventListener('click', () => { window.location.hash = queueHash({ ...q, page: q.page - 1 }); });
    next.addEventListener('click', () => { window.location.hash = queueHash({ ...q, page: q.page + 1 }); });
    clear(pager).append(prev, h('span', { id: 'queue-info', dataset: { total, page: q.page } }, t('page_of', q.page, exact ? pages : `${Math.max(pages, q.page)}+`,
      exact ? total : `${total.toLocaleString('en-US')}+`)), next);
    markCursor();
  }

  function row(ev, i) {
    const btn = (cls, label, key, fn, danger = false) => {
      const b = h('button', { type: 'button', class: `${cls}${danger ? ' danger' : ''}`, title: `${label} (${key})`, disabled: !session.user }, label);
      b.addEventListener('click', (e) => { e.stopPropagation(); cursor = i; markCursor(); fn(ev); });
      return b;
    };
    const place = [ev.location, ev.admin2 ? districtName(ev.admin2, ev.admin2_ar) : null, ev.admin1 ? governorateName(ev.admin1) : null]
      .filter(Boolean);
    const tr = h('tr', { dataset: { eventId: ev.id, reasons: (ev.reasons || []).join(' ') }, class: ev.status ? `status-row-${ev.status}` : null },
      h('td', {}, h('a', { href: `#/events/${ev.id}`, class: 'event-link' }, `#${ev.id}`)),
      h('td', { class: 'nowrap' }, ev.date || '–'),
      h('td', {}, eventTypeName(ev.event_type), ev.sub_event_type ? h('div', { class: 'sub' }, subEventTypeName(ev.sub_event_type)) : null),
      h('td', {}, h('bdi', {}, [ev.actor1, ev.actor2].filter(Boolean).map(actorName).join(' → ') || '–')),
      h('td', {}, place.length ? place.map((x, k) => [k ? (getLang() === 'ar' ? '، ' : ', ') : '', h('bdi', {}, x)]) : '–'),
      h('td', { class: 'num' }, fmtRange(ev.fatalities)),
      h('td', { class: 'reasons-cell' }, (ev.reasons || []).map((r) => h('span', { class: `badge reason-${r}`, dataset: { reason: r } }, reasonName(r))),
        ev.status ? h('span', { class: `badge status-${ev.status}` }, t(`status_${ev.status}`)) : null),
      h('td', { class: 'actions nowrap' },
        btn('q-confirm', t('confirm'), 'c', confirmEv), ' ',
        btn('q-correct', t('correct_short'), 'e', openCorrect), ' ',
        btn('q-reject', t('reject'), 'x', rejectEv, true)));
    tr.addEventListener('click', (e) => { if (!e.target.closest('a, button, input, select, form')) { cursor = i; markCursor(); } });
    return tr;
  }

  function markCursor() {
    const trs = tableWrap.querySelectorAll('#queue > tbody > tr[data-event-id]');
    trs.forEach((tr, i) => tr.classList.toggle('current', i === cursor));
    const cur = trs[cursor];
    tableWrap.dataset.current = cur ? cur.dataset.eventId : '';
    if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: 'nearest' });
  }

  // an action, then the list and the counts again (the event may leave the queue)
  async function act(ev, what, fn) {
    status.classList.remove('error');
    status.textContent = '';
    try {
      await fn();
      status.textContent = t('queue_done', what, ev.id);
      status.dataset.lastEvent = String(ev.id);
      status.dataset.lastAction = what;
      await Promise.all([loadList(cursor), loadReasons()]);
    } catch (e) {
      status.textContent = `${t('error')}: ${e.message}`;
      status.classList.add('error');
      if (e.status === 401) loadSession();
    }
  }
  const confirmEv = (ev) => act(ev, t('confirm'), () => post(`/events/${ev.id}/confirm`, { note: queueNote(ev) }));
  const rejectEv = (ev) => act(ev, t('reject'), () => post(`/events/${ev.id}/reject`, { note: queueNote(ev) }));

  // correct: a form under the row, the current value filled in
  function openCorrect(ev) {
    closeCorrect();
    const tr = tableWrap.querySelector(`#queue tbody tr[data-event-id='${ev.id}']`);
    if (!tr) return;
    const fieldSel = h('select', { id: 'queue-field', name: 'field' }, FIELDS.map((f) => h('option', { value: f }, fieldName(f))));
    const valueBox = h('span', { class: 'value-box' });
    const note = h('input', { type: 'text', id: 'queue-note', name: 'note', placeholder: t('note'), dir: 'auto' });
    const fill = () => correctionInputs(valueBox, 'queue', fieldSel.value, ev);
    fieldSel.addEventListener('change', fill);
    fill();
    const cancel = h('button', { type: 'button', id: 'queue-cancel' }, t('cancel'));
    cancel.addEventListener('click', closeCorrect);
    const form = h('form', { id: 'queue-correct', class: 'correct' },
      h('label', { class: 'inline' }, t('field'), fieldSel), valueBox, note,
      h('button', { type: 'submit', id: 'queue-save' }, t('save')), cancel);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = fieldSel.value;
      const body = { [f]: correctionValue(form, 'queue', f), note: note.value.trim() || queueNote(ev) };
      act(ev, t('correct_short'), () => patch(`/events/${ev.id}`, body));
    });
    tr.after(h('tr', { class: 'correct-row' }, h('td', { colspan: '8' }, form)));
    const first = form.querySelector('input');
    if (first) first.focus();
  }
  function closeCorrect() {
    const open = tableWrap.querySelector('tr.correct-row');
    if (open) open.remove();
  }

  // keyboard: not while typing in a field
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = e.target.closest && e.target.closest('input, select, textarea');
    if (e.key === 'Escape') { closeCorrect(); if (typing) e.target.blur(); return; }
    if (typing || !rows.length) return;
    const ev = rows[cursor];
    const key = e.key.toLowerCase();
    if (key === 'j' || e.key === 'ArrowDown') { cursor = Math.min(rows.length - 1, cursor + 1); markCursor(); } else if (key === 'k' || e.key === 'ArrowUp') { cursor = Math.max(0, cursor - 1); markCursor(); } else if (key === 'o' || e.key === 'Enter') { window.location.hash = `#/events/${ev.id}`; } else if (!session.user) { return; } else if (key === 'c') { confirmEv(ev); } else if (key === 'x') { rejectEv(ev); } else if (key === 'e') { openCorrect(ev); } else { return; }
    e.preventDefault();
  }
  document.addEventListener('keydown', onKey);

  get('/facets').then((f) => { learnNames('admin1', f.admin1); learnNames('admin2', f.admin2); learnNames('actor', f.actor); }).catch(() => {})
    .finally(() => { if (!disposed) loadList(); });
  loadReasons().catch((e) => { if (!disposed) append(reasonList, [h('li', { class: 'error' }, `${t('error')}: ${e.message}`)]); });

  return { dispose() { disposed = true; document.removeEventListener('keydown', onKey); } };
}
