// Who is signed in: the JWT of POST /login and the user's id, in sessionStorage (per tab, gone when the
// tab closes). The id used last is also kept in localStorage, only to prefill the login form.
const TOKEN = 'socnet.token';
const USER = 'socnet.user';
const LAST_ID = 'socnet.lastId';

export function current() {
  const token = sessionStorage.getItem(TOKEN);
  const userId = sessionStorage.getItem(USER);
  return token && userId ? { token, userId } : null;
}

export function signIn(userId, token) {
  sessionStorage.setItem(TOKEN, token);
  sessionStorage.setItem(USER, userId);
  localStorage.setItem(LAST_ID, userId);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
}

export function lastUserId() {
  return localStorage.getItem(LAST_ID) || '';
}
