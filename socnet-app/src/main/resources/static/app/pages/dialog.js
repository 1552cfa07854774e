// A dialog with one person: GET /dialog/{id}/list newest first, PAGE_SIZE at a time, older pages
// (before = the oldest id shown) when the end of the list scrolls into view; POST /dialog/{id}/send.
// The API pushes no messages, so the newest page is read again every POLL_MS while the page is open.
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { current } from '../session.js';
import { profile, fullName } from '../people.js';
import { field, formError, onSubmit, value } from '../forms.js';

const PAGE_SIZE = 20;
const POLL_MS = 3000;

export function render(main, [peerId]) {
  const me = current().userId;
  document.title = `${t.dialog.title('…')} — ${t.appName}`;
  const title = h('h1', { tabindex: -1 }, t.dialog.title('…'));
  const form = h('form', { novalidate: true, 'aria-label': t.dialog.send },
    field({ name: 'text', label: t.dialog.text, multiline: true, rows: 2, required: true }),
    formError(),
    h('button', { type: 'submit' }, t.dialog.send));
  const list = h('ol', { class: 'messages', 'aria-label': t.dialog.messages });
  const empty = h('p', { class: 'empty', hidden: true }, t.dialog.empty);
  const older = h('button', { type: 'button', class: 'secondary more' }, t.dialog.older);
  const end = h('p', { class: 'end', hidden: true }, t.dialog.end);
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const seen = new Set();
  let peerName = '…';
  let loading = false;
  let finished = false;
  let gone = false;

  profile(peerId).then((peer) => {
    peerName = fullName(peer);
    document.title = `${t.dialog.title(peerName)} — ${t.appName}`;
    fill(title, h('a', { href: `#/user/${peerId}` }, t.dialog.title(peerName)));
    for (const author of list.querySelectorAll('.from-peer .author')) author.textContent = peerName;
  }, (e) => fill(title, e.message));

  function item(message) {
    seen.add(message.id);
    const mine = message.from === me;
    const at = message.created_at ? new Date(message.created_at) : null;
    return h('li', { class: mine ? 'message from-me' : 'message from-peer', dataset: { messageId: message.id } },
      h('p', { class: 'meta' },
        h('span', { class: 'author' }, mine ? t.dialog.you : peerName),
        at && h('time', { datetime: message.created_at }, ` · ${at.toLocaleString(document.documentElement.lang)}`)),
      h('p', { class: 'message-text' }, message.text));
  }

  function settle() {
    older.hidden = finished;
    end.hidden = !finished || list.childElementCount === 0;
    empty.hidden = list.childElementCount > 0;
  }

  async function loadOlder() {
    if (loading || finished) return;
    loading = true;
    older.disabled = true;
    error.hidden = true;
    try {
      const before = list.lastElementChild?.dataset.messageId;
      const page = await api.messages(peerId, before, PAGE_SIZE);
      if (gone) return;
      list.append(...page.filter((m) => !seen.has(m.id)).map(item));
      finished = page.length < PAGE_SIZE;
    } catch (e) {
      fill(error, e.message);
      error.hidden = false;
    } finally {
      loading = false;
      older.disabled = false;
      settle();
    }
    if (!finished && error.hidden && inView(older)) loadOlder();
  }

  async function loadNewer() {
    try {
      const page = await api.messages(peerId, undefined, PAGE_SIZE);
      if (gone) return;
      list.prepend(...page.filter((m) => !seen.has(m.id)).map(item));
      settle();
    } catch {
      // shown by the next send or page load; polling goes on
    }
  }

  onSubmit(form, async () => {
    await api.sendMessage(peerId, value(form, 'text'));
    form.reset();
    await loadNewer();
    form.elements.text.focus();
  });
  older.addEventListener('click', loadOlder);
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) loadOlder();
  }, { rootMargin: '200px' });
  observer.observe(older);
  const poll = setInterval(() => { if (!loading) loadNewer(); }, POLL_MS);

  main.append(title, form, empty, list, error, older, end);
  loadOlder();
  return () => {
    gone = true;
    clearInterval(poll);
    observer.disconnect();
  };
}

function inView(element) {
  const box = element.getBoundingClientRect();
  return !element.hidden && box.top < window.innerHeight + 200;
}
