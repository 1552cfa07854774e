// Log in with the id given at registration and the password: POST /login → JWT in sessionStorage.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { signIn, lastUserId } from '../session.js';
import { field, formError, onSubmit, value } from '../forms.js';

export function render(main) {
  document.title = `${t.login.title} — ${t.appName}`;
  const form = h('form', { novalidate: true, 'aria-labelledby': 'login-title' },
    field({ name: 'id', label: t.login.id, hint: t.login.idHint, value: lastUserId(), autocomplete: 'username', required: true, spellcheck: 'false' }),
    field({ name: 'password', label: t.login.password, type: 'password', autocomplete: 'current-password', required: true }),
    formError(),
    h('button', { type: 'submit' }, t.login.submit));
  onSubmit(form, async () => {
    const userId = value(form, 'id').trim();
    const { token } = await api.login(userId, value(form, 'password'));
    signIn(userId, token);
    location.hash = '#/feed';
  });
  main.append(
    h('h1', { id: 'login-title', tabindex: -1 }, t.login.title),
    form,
    h('p', {}, `${t.login.noAccount} `, h('a', { href: '#/register' }, t.login.registerLink)));
}
