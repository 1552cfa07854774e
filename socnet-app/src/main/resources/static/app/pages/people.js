// People search as you type: GET /user/search with both prefixes (the API needs both), 300 ms after
// the last keystroke; an answer to an older query never replaces a newer one. The prefixes are kept
// in the address (#/people?first_name=…&last_name=…) so that Back returns to the same results.
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { field, formError, clearErrors, showError } from '../forms.js';
import { fullName } from '../people.js';

const DEBOUNCE_MS = 300;

export function render(main, params, query) {
  document.title = `${t.search.title} — ${t.appName}`;
  const form = h('form', { role: 'search', 'aria-labelledby': 'people-title', class: 'row' },
    field({ name: 'first_name', label: t.search.firstName, value: query.get('first_name') ?? '', autocomplete: 'off' }),
    field({ name: 'last_name', label: t.search.lastName, value: query.get('last_name') ?? '', autocomplete: 'off' }));
  const status = h('p', { class: 'status', role: 'status' }, t.search.hint);
  form.append(formError());
  const results = h('ul', { class: 'people', 'aria-label': t.search.results });
  let timer;
  let running;

  async function search() {
    const firstName = form.elements.first_name.value.trim();
    const lastName = form.elements.last_name.value.trim();
    history.replaceState(null, '', `#/people?${new URLSearchParams({ first_name: firstName, last_name: lastName })}`);
    running?.abort();
    clearErrors(form);
    if (!firstName || !lastName) {
      fill(status, t.search.hint);
      results.replaceChildren();
      return;
    }
    const mine = new AbortController();
    running = mine;
    fill(status, t.search.searching);
    try {
      const users = await api.search(firstName, lastName, { signal: mine.signal });
      if (running !== mine) return;
      fill(status, users.length ? t.search.count(users.length) : t.search.none);
      fill(results, users.map((user) => h('li', {},
        h('a', { href: `#/user/${user.id}` }, fullName(user)),
        user.city && h('span', { class: 'meta' }, ` · ${user.city}`))));
    } catch (error) {
      if (error.name === 'AbortError' || running !== mine) return;
      fill(status, '');
      results.replaceChildren();
      showError(form, error, { focus: false });
    }
  }

  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  main.append(h('h1', { id: 'people-title', tabindex: -1 }, t.search.title), form, status, results);
  if (query.get('first_name') || query.get('last_name')) search();
  return () => {
    clearTimeout(timer);
    running?.abort();
  };
}
