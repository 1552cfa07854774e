// A person's page (GET /user/get/{id}). Someone else's: follow and unfollow (PUT /friend/set|delete)
// and a link to the dialog with them. One's own: the id to log in with, a new post, and one's posts.
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { current } from '../session.js';
import { profile, fullName } from '../people.js';
import { myPosts } from './my-posts.js';

export function render(main, [userId]) {
  document.title = t.appName;
  const title = h('h1', { tabindex: -1 }, t.loading);
  const body = h('div', { 'aria-busy': 'true' });
  main.append(title, body);
  let gone = false;

  profile(userId).then((user) => {
    if (gone) return;
    document.title = `${fullName(user)} — ${t.appName}`;
    fill(title, fullName(user));
    body.removeAttribute('aria-busy');
    const details = h('dl', { class: 'details' },
      user.birthdate && [h('dt', {}, t.profile.birthdate), h('dd', {}, formatDate(user.birthdate))],
      user.city && [h('dt', {}, t.profile.city), h('dd', {}, user.city)],
      user.biography && [h('dt', {}, t.profile.biography), h('dd', {}, user.biography)]);
    const session = current();
    if (session && session.userId === user.id) {
      fill(body,
        h('p', {}, t.profile.itsYou),
        h('p', {}, `${t.profile.yourId}: `, h('code', { class: 'user-id' }, user.id)),
        details.childElementCount ? details : null,
        myPosts(session.userId));
    } else {
      fill(body, details.childElementCount ? details : null, session ? relations(user) : null);
    }
  }, (error) => {
    if (gone) return;
    body.removeAttribute('aria-busy');
    fill(title, error.status === 404 || error.status === 400 ? t.profile.notFound : error.message);
  });
  return () => { gone = true; };
}

function relations(user) {
  const status = h('p', { class: 'status', role: 'status' });
  const act = (call, done) => async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await call(user.id);
      fill(status, done);
    } catch (error) {
      fill(status, h('span', { class: 'error' }, error.message));
    } finally {
      button.disabled = false;
    }
  };
  return h('section', { 'aria-label': fullName(user) },
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: act(api.follow, t.profile.followed) }, t.profile.follow),
      h('button', { type: 'button', class: 'secondary', onclick: act(api.unfollow, t.profile.unfollowed) }, t.profile.unfollow),
      h('a', { class: 'button', href: `#/dialog/${user.id}` }, t.profile.writeMessage)),
    h('p', { class: 'hint' }, t.profile.followHint),
    status);
}

function formatDate(isoDate) {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(year, month - 1, day).toLocaleDateString(document.documentElement.lang, { dateStyle: 'long' });
}
