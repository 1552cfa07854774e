// The public JSON API (docs/api/, served at /openapi.json), and nothing else. Every call sends the
// session's bearer token when there is one; a non-2xx answer throws an ApiError carrying the API's
// own message and the field it names.
import { current, signOut } from './session.js';
import { t } from './i18n.js';

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {string} message the API's message (or ours when it sent none)
   * @param {string|null} field the request field at fault (snake_case), when the API named one
   */
  constructor(status, message, field = null) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

async function call(method, path, body, { signal } = {}) {
  const headers = { Accept: 'application/json' };
  const session = current();
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, t.networkError);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null; // not the API's JSON (e.g. a proxy's error page)
  }
  if (response.ok) return json;
  if (response.status === 401 && session) {
    // the token expired or the secret changed: sign in again
    signOut();
    location.hash = '#/login';
  }
  const retryAfter = response.headers.get('Retry-After');
  const message = response.status === 503 && retryAfter
    ? `${json?.message ?? ''} ${t.retryAfter(retryAfter)}`.trim()
    : json?.message ?? t.unknownError(response.status);
  throw new ApiError(response.status, message, json?.field ?? null);
}

const q = (params) => new URLSearchParams(
  Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''),
).toString();
const id = encodeURIComponent;

export const api = {
  register: (profile) => call('POST', '/user/register', profile),
  login: (userId, password) => call('POST', '/login', { id: userId, password }),
  user: (userId) => call('GET', `/user/get/${id(userId)}`),
  search: (firstName, lastName, options) =>
    call('GET', `/user/search?${q({ first_name: firstName, last_name: lastName })}`, undefined, options),
  follow: (userId) => call('PUT', `/friend/set/${id(userId)}`),
  unfollow: (userId) => call('PUT', `/friend/delete/${id(userId)}`),
  createPost: (text) => call('POST', '/post/create', { text }),
  updatePost: (postId, text) => call('PUT', '/post/update', { id: postId, text }),
  deletePost: (postId) => call('PUT', `/post/delete/${id(postId)}`),
  post: (postId) => call('GET', `/post/get/${id(postId)}`),
  feed: (offset, limit) => call('GET', `/post/feed?${q({ offset, limit })}`),
  sendMessage: (userId, text) => call('POST', `/dialog/${id(userId)}/send`, { text }),
  messages: (userId, before, limit) => call('GET', `/dialog/${id(userId)}/list?${q({ before, limit })}`),
};
