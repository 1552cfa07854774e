// The feed: GET /post/feed newest first, PAGE_SIZE at a time, the next page loaded when the end of the
// list scrolls into view (or "show more" is pressed). New posts of followees arrive live over the
// WebSocket (live.js) and go on top; the connection's state is shown, and after a reconnect the newest
// page is read again to catch up on what was missed.
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { personLink } from '../people.js';
import { LiveFeed } from '../live.js';

const PAGE_SIZE = 10;

export function render(main) {
  document.title = `${t.feed.title} — ${t.appName}`;
  const live = h('p', { class: 'live', role: 'status', dataset: { state: 'connecting' } }, t.feed.liveConnecting);
  const list = h('ol', { class: 'posts', 'aria-labelledby': 'feed-title' });
  const empty = h('p', { class: 'empty', hidden: true }, t.feed.empty);
  const more = h('button', { type: 'button', class: 'secondary more' }, t.feed.more);
  const end = h('p', { class: 'end', hidden: true }, t.feed.end);
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const seen = new Set();
  let loading = false;
  let finished = false;

  function item(post, isNew) {
    seen.add(post.id);
    return h('li', { class: isNew ? 'post new' : 'post', dataset: { postId: post.id } },
      h('p', { class: 'meta' }, isNew && h('span', { class: 'badge' }, t.feed.live), personLink(post.author_user_id)),
      h('p', { class: 'post-text' }, post.text));
  }

  async function loadMore() {
    if (loading || finished) return;
    loading = true;
    more.disabled = true;
    error.hidden = true;
    try {
      // live posts went on top of the same feed, so the next page starts after everything shown
      const page = await api.feed(list.childElementCount, PAGE_SIZE);
      list.append(...page.filter((post) => !seen.has(post.id)).map((post) => item(post, false)));
      finished = page.length < PAGE_SIZE;
    } catch (e) {
      fill(error, e.message);
      error.hidden = false;
    } finally {
      loading = false;
      more.disabled = false;
      more.hidden = finished;
      end.hidden = !finished || list.childElementCount === 0;
      empty.hidden = !finished || list.childElementCount > 0;
    }
    // a short page may leave the end of the list in view: no scroll would follow, so load on
    if (!finished && error.hidden && inView(more)) loadMore();
  }

  async function catchUp() {
    try {
      const page = await api.feed(0, PAGE_SIZE);
      list.prepend(...page.filter((post) => !seen.has(post.id)).map((post) => item(post, true)));
      empty.hidden = list.childElementCount > 0 || !finished;
    } catch {
      // the next reconnect or page load tries again
    }
  }

  const feed = new LiveFeed({
    onPost: (frame) => {
      if (seen.has(frame.postId)) return;
      list.prepend(item({ id: frame.postId, text: frame.postText, author_user_id: frame.author_user_id }, true));
      empty.hidden = true;
    },
    onStatus: (state, retryInMs, reason) => {
      live.dataset.state = state;
      fill(live, state === 'open' ? t.feed.liveOn
        : state === 'lost' ? t.feed.liveLost(Math.round(retryInMs / 1000))
          : state === 'ended' ? t.feed.liveEnded(reason) : t.feed.liveConnecting);
    },
    onReconnect: catchUp,
  });

  more.addEventListener('click', loadMore);
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) loadMore();
  }, { rootMargin: '200px' });
  observer.observe(more);

  main.append(h('h1', { id: 'feed-title', tabindex: -1 }, t.feed.title), live, empty, list, error, more, end);
  loadMore();
  return () => {
    observer.disconnect();
    feed.close();
  };
}

function inView(element) {
  const box = element.getBoundingClientRect();
  return !element.hidden && box.top < window.innerHeight + 200;
}
