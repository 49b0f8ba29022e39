// The explorer's entry point: language, session and hash routing (#/, #/events/ID, #/review, #/tallies).
import { loadSession, onSession, session, signIn, signOut } from './api.js';
import { clear, h } from './dom.js';
import { renderEvent } from './event.js';
import { renderExplorer } from './explorer.js';
import { applyLang, getLang, setLang, t } from './i18n.js';
import { renderReview } from './review.js';
import { renderDocument, renderTallies } from './tallies.js';

const view = document.getElementById('view');
let current = null; // {dispose()} of the view on screen

const isExplorer = (hash) => hash === '#/' || hash.startsWith('#/?') || hash === '' || hash === '#';

function route() {
  const hash = window.location.hash || '#/';
  // back / forward between two views of the explorer: the explorer applies the URL, nothing is rebuilt
  if (current && current.update && current.kind === 'explorer' && isExplorer(hash)) { current.update(); return; }
  if (current && current.dispose) current.dispose();
  clear(view);
  const m = hash.match(/^#\/events\/(\d+)/);
  const review = hash.startsWith('#/review');
  document.getElementById('nav-explorer').classList.toggle('active', !m && !hash.startsWith('#/tallies') && !review);
  document.getElementById('nav-tallies').classList.toggle('active', hash.startsWith('#/tallies'));
  document.getElementById('nav-review').classList.toggle('active', review);
  const d = hash.match(/^#\/documents\/(\d+)(?:\?(.*))?$/);
  if (m) current = renderEvent(view, Number(m[1]));
  else if (d) current = renderDocument(view, Number(d[1]), new URLSearchParams(d[2] || ''));
  else if (hash.startsWith('#/tallies')) current = renderTallies(view);
  else if (review) current = renderReview(view);
  else { current = renderExplorer(view); current.kind = 'explorer'; }
}

function showSession() {
  const signedIn = Boolean(session.user);
  document.getElementById('signin-form').hidden = signedIn;
  document.getElementById('signed-in').hidden = !signedIn;
  document.getElementById('signed-in-user').textContent = session.user || '';
}

document.getElementById('lang-switch').addEventListener('click', () => {
  setLang(getLang() === 'ar' ? 'en' : 'ar');
  rerender();
});

// a new language or user: the view on screen is built again
function rerender() {
  if (current && current.dispose) current.dispose();
  current = null;
  route();
}

document.getElementById('signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = document.getElementById('signin-token');
  const err = document.getElementById('signin-error');
  err.textContent = '';
  try {
    await signIn(input.value.trim());
    input.value = '';
  } catch (e) {
    err.textContent = `${t('sign_in_failed')}: ${e.message}`;
  }
});

document.getElementById('signout-button').addEventListener('click', () => signOut());

let lastUser = null;
onSession(() => {
  showSession();
  if (session.user !== lastUser) { lastUser = session.user; rerender(); }
});

applyLang();
const missingLibs = ['L', 'd3', 'topojson'].filter((name) => !window[name]);
if (missingLibs.length) {
  // static/vendor/ is filled at install time; without it there is no map and no chart
  view.append(h('p', { class: 'error', id: 'assets-missing' },
    `The explorer's front-end libraries are missing (${missingLibs.join(', ')}): run `,
    h('code', {}, 'python -m rasad.web.fetch_assets'), ' (or make install) and reload.'));
} else {
  window.addEventListener('hashchange', route);
  route();
  loadSession();
}
