// The web client's entry: the header, and a hash router (#/feed, #/people, #/user/ID, #/dialog/ID,
// #/login, #/register) so that the server serves one static page and every route survives a reload.
// A page module exports render(main, params, query) and may return a function that cleans it up.
import { h, fill } from './dom.js';
import { t } from './i18n.js';
import { current, signOut } from './session.js';
import * as login from './pages/login.js';
import * as register from './pages/register.js';
import * as feed from './pages/feed.js';
import * as people from './pages/people.js';
import * as profile from './pages/profile.js';
import * as dialog from './pages/dialog.js';

const routes = [
  { pattern: /^\/login$/, page: login, open: true },
  { pattern: /^\/register$/, page: register, open: true },
  { pattern: /^\/feed$/, page: feed },
  { pattern: /^\/people$/, page: people },
  { pattern: /^\/user\/([^/]+)$/, page: profile, open: true },
  { pattern: /^\/dialog\/([^/]+)$/, page: dialog },
];

const header = document.getElementById('top');
const main = document.getElementById('main');
let cleanup = null;

function route() {
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const session = current();
  if (path === '' || path === '/') {
    location.replace(session ? '#/feed' : '#/login');
    return;
  }
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find(({ m }) => m);
  if (match && !match.r.open && !session) {
    location.replace('#/login');
    return;
  }
  if (cleanup) cleanup();
  cleanup = null;
  renderHeader(session, match ? path : null);
  main.replaceChildren();
  if (!match) {
    document.title = t.appName;
    fill(main, h('h1', { tabindex: -1 }, t.notFoundPage));
  } else {
    const params = match.m.slice(1).map(decodeURIComponent);
    cleanup = match.r.page.render(main, params, new URLSearchParams(search)) ?? null;
  }
  // keyboard and screen-reader users start at the new page's heading
  main.querySelector('h1')?.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function renderHeader(session, path) {
  const link = (href, label) => h('a', { href, 'aria-current': path && `#${path}` === href ? 'page' : null }, label);
  const skip = h('a', { class: 'skip', href: '#main' }, t.skipToContent);
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    (main.querySelector('h1') ?? main).focus();
  });
  const links = session
    ? [
      link('#/feed', t.nav.feed),
      link('#/people', t.nav.people),
      link(`#/user/${session.userId}`, t.nav.me),
      h('button', { type: 'button', class: 'link', onclick: logout }, t.nav.logout),
    ]
    : [link('#/login', t.nav.login), link('#/register', t.nav.register), link('#/people', t.nav.people)];
  fill(header, skip,
    h('a', { class: 'brand', href: session ? '#/feed' : '#/login' }, t.appName),
    h('nav', { 'aria-label': t.nav.label }, h('ul', {}, links.map((l) => h('li', {}, l)))));
}

function logout() {
  signOut();
  if (location.hash === '#/login') route();
  else location.hash = '#/login';
}

// every page starts at its top, a reloaded one too (route() scrolls)
history.scrollRestoration = 'manual';
window.addEventListener('hashchange', route);
route();
