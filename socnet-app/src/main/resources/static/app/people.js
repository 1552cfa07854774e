// Profiles by id, fetched once per page load (GET /user/get/{id}): authors in the feed, dialog peers.
import { api } from './api.js';
import { h } from './dom.js';

const profiles = new Map();

/** @returns {Promise<object>} the profile (the contract's User) */
export function profile(userId) {
  if (!profiles.has(userId)) {
    const pending = api.user(userId);
    pending.catch(() => profiles.delete(userId));
    profiles.set(userId, pending);
  }
  return profiles.get(userId);
}

export function fullName(user) {
  return `${user.first_name} ${user.second_name}`;
}

/** A link to a person's page that shows their id until their name has arrived. */
export function personLink(userId) {
  const link = h('a', { href: `#/user/${userId}`, class: 'person' }, userId);
  profile(userId).then((user) => { link.textContent = fullName(user); }, () => {});
  return link;
}
