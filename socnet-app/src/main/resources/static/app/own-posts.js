// The ids of the posts the signed-in user wrote in this browser (localStorage, newest first). The API
// has no "posts of an author" list, so this is how "my posts" can be shown with edit and delete.
const key = (userId) => `socnet.posts.${userId}`;

export function ownPostIds(userId) {
  try {
    return JSON.parse(localStorage.getItem(key(userId))) ?? [];
  } catch {
    return [];
  }
}

export function rememberPost(userId, postId) {
  localStorage.setItem(key(userId), JSON.stringify([postId, ...ownPostIds(userId).filter((id) => id !== postId)]));
}

export function forgetPost(userId, postId) {
  localStorage.setItem(key(userId), JSON.stringify(ownPostIds(userId).filter((id) => id !== postId)));
}
