// DOM helpers. Everything from the server is put in the page as text (textContent / text nodes),
// never as markup: a document containing <script> or <img onerror> shows as text.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style') Object.assign(el.style, v); // CSSOM: allowed by the CSP, unlike style=
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'href') el.setAttribute('href', safeUrl(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Only http(s), relative and fragment links; anything else (javascript:, data:) becomes inert.
export function safeUrl(url) {
  const s = String(url || '');
  if (s.startsWith('#') || s.startsWith('/')) return s;
  try {
    const u = new URL(s, window.location.href);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch (_e) { /* fall through */ }
  return '#';
}

export function fmtRange(f) {
  if (!f || typeof f !== 'object') return f === null || f === undefined ? '–' : String(f);
  const { low, best, high } = f;
  const main = best ?? low ?? high;
  if (main === null || main === undefined) return '–';
  if (low === high && low === main) return String(main);
  return `${main} [${low ?? '?'}–${high ?? '?'}]`;
}

export function fmtValue(v) {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'object') {
    if ('low' in v || 'best' in v || 'high' in v) return fmtRange(v);
    return JSON.stringify(v);
  }
  return String(v);
}
