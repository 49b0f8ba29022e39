// The JSON API under /api/v1, and the session: the CSRF token is kept in memory only and sent as
// X-CSRF-Token on every write.

const BASE = '/api/v1';
export const session = { user: null, csrf: null };
const listeners = new Set();

export function onSession(fn) { listeners.add(fn); }
function notify() { for (const fn of listeners) fn(session); }

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function url(path, params) { return `${BASE}${path}${query(params)}`; }

async function request(method, path, { params, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  const resp = await fetch(url(path, params), {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (_e) { data = text; } }
  if (!resp.ok) {
    const msg = (data && (data.detail || data.error || data.message)) || resp.statusText;
    throw new ApiError(resp.status, typeof msg === 'string' ? msg : JSON.stringify(msg));
  }
  return data;
}

export const get = (path, params) => request('GET', path, { params });
export const post = (path, body) => request('POST', path, { body: body ?? {} });
export const patch = (path, body) => request('PATCH', path, { body });

function setSession(data) {
  session.user = (data && data.user) || null;
  if (data && data.csrf_token) session.csrf = data.csrf_token;
  if (!session.user) session.csrf = null;
  notify();
}

export async function loadSession() {
  try { setSession(await get('/session')); } catch (_e) { setSession(null); }
}

export async function signIn(token) {
  setSession(await post('/session', { token }));
}

export async function signOut() {
  try { await request('DELETE', '/session'); } finally { setSession(null); }
}
