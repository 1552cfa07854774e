// One's own posts on one's own page: write (POST /post/create), edit (PUT /post/update), delete
// (PUT /post/delete/{id}). Which posts are one's own is remembered in this browser (own-posts.js):
// the API has no list of an author's posts.
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { field, formError, onSubmit, value } from '../forms.js';
import { ownPostIds, rememberPost, forgetPost } from '../own-posts.js';

export function myPosts(userId) {
  const status = h('p', { class: 'status', role: 'status' });
  const list = h('ul', { class: 'posts', 'aria-labelledby': 'my-posts-title' });
  const empty = h('p', { class: 'empty', hidden: true }, t.posts.none);
  const refreshEmpty = () => { empty.hidden = list.childElementCount > 0; };

  const composer = h('form', { 'aria-labelledby': 'new-post-title', novalidate: true },
    field({ name: 'text', label: t.posts.text, multiline: true, rows: 4, required: true }),
    formError(),
    h('button', { type: 'submit' }, t.posts.publish));
  onSubmit(composer, async () => {
    const text = value(composer, 'text');
    const postId = await api.createPost(text);
    rememberPost(userId, postId);
    list.prepend(item({ id: postId, text }));
    composer.reset();
    refreshEmpty();
    fill(status, t.posts.published);
  });

  function item(post) {
    const text = h('p', { class: 'post-text' }, post.text);
    const actions = h('div', { class: 'actions' });
    const li = h('li', { class: 'post', dataset: { postId: post.id } }, text, actions);
    const showActions = () => fill(actions,
      h('button', { type: 'button', class: 'secondary', onclick: edit }, t.posts.edit),
      h('button', { type: 'button', class: 'danger', onclick: confirmDelete }, t.posts.delete));

    function edit() {
      const form = h('form', { class: 'edit', novalidate: true },
        field({ name: 'text', label: t.posts.editLabel, multiline: true, rows: 4, required: true }),
        formError(),
        h('div', { class: 'actions' },
          h('button', { type: 'submit' }, t.posts.save),
          h('button', { type: 'button', class: 'secondary', onclick: close }, t.posts.cancel)));
      form.elements.text.value = text.textContent;
      onSubmit(form, async () => {
        const newText = value(form, 'text');
        await api.updatePost(post.id, newText);
        text.textContent = newText;
        close();
        fill(status, t.posts.saved);
      });
      function close() {
        form.remove();
        text.hidden = false;
        showActions();
        actions.querySelector('button')?.focus();
      }
      text.hidden = true;
      actions.replaceChildren();
      li.insertBefore(form, actions);
      form.elements.text.focus();
    }

    function confirmDelete() {
      const error = h('span', { class: 'error', role: 'alert' });
      fill(actions,
        h('span', {}, t.posts.confirmDelete),
        h('button', { type: 'button', class: 'danger', onclick: remove }, t.posts.delete),
        h('button', { type: 'button', class: 'secondary', onclick: () => { showActions(); actions.querySelector('button').focus(); } }, t.posts.cancel),
        error);
      actions.querySelector('button').focus();

      async function remove(event) {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          await api.deletePost(post.id);
        } catch (e) {
          if (e.status !== 404) {
            button.disabled = false;
            fill(error, e.message);
            return;
          }
        }
        forgetPost(userId, post.id);
        li.remove();
        refreshEmpty();
        fill(status, t.posts.deleted);
        composer.elements.text.focus();
      }
    }

    showActions();
    return li;
  }

  // the remembered posts as the API has them now; deleted ones (404) are forgotten
  Promise.all(ownPostIds(userId).map((postId) => api.post(postId).catch((error) => {
    if (error.status === 404) forgetPost(userId, postId);
    return null;
  }))).then((posts) => {
    // after any post written meanwhile (those are newer)
    list.append(...posts.filter(Boolean).map(item));
    refreshEmpty();
  });

  return h('div', {},
    h('section', { class: 'card' }, h('h2', { id: 'new-post-title' }, t.posts.newTitle), composer),
    h('section', {},
      h('h2', { id: 'my-posts-title' }, t.posts.mine),
      h('p', { class: 'hint' }, t.posts.mineHint),
      status, empty, list));
}
