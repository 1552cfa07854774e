// Registration (POST /user/register), then log in with the same password and open one's own page,
// which shows the id needed for the next login.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { signIn } from '../session.js';
import { field, formError, onSubmit, value } from '../forms.js';

export function render(main) {
  document.title = `${t.register.title} — ${t.appName}`;
  const optional = (label) => `${label} (${t.register.optional})`;
  const form = h('form', { novalidate: true, 'aria-labelledby': 'register-title' },
    field({ name: 'first_name', label: t.register.firstName, autocomplete: 'given-name', required: true }),
    field({ name: 'second_name', label: t.register.secondName, autocomplete: 'family-name', required: true }),
    field({ name: 'birthdate', label: optional(t.register.birthdate), type: 'date', autocomplete: 'bday' }),
    field({ name: 'city', label: optional(t.register.city), autocomplete: 'address-level2' }),
    field({ name: 'biography', label: optional(t.register.biography), multiline: true }),
    field({ name: 'password', label: t.register.password, type: 'password', hint: t.register.passwordHint, autocomplete: 'new-password', required: true }),
    formError(),
    h('button', { type: 'submit' }, t.register.submit));
  onSubmit(form, async () => {
    const profile = {};
    for (const name of ['first_name', 'second_name', 'birthdate', 'city', 'biography', 'password']) {
      const text = value(form, name);
      // optional fields are left out when empty; the API says what is wrong with the rest
      if (text !== '' || ['first_name', 'second_name', 'password'].includes(name)) profile[name] = text;
    }
    const { user_id: userId } = await api.register(profile);
    const { token } = await api.login(userId, profile.password);
    signIn(userId, token);
    location.hash = `#/user/${userId}`;
  });
  main.append(
    h('h1', { id: 'register-title', tabindex: -1 }, t.register.title),
    form,
    h('p', {}, `${t.register.haveAccount} `, h('a', { href: '#/login' }, t.register.loginLink)));
}
