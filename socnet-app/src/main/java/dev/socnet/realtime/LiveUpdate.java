package dev.socnet.realtime;

import java.util.UUID;

/**
 * A message on the live feed's exchange, JSON with the API's snake_case names, e.g.
 * {@code {"kind":"POSTED","post_id":"0199…","post_text":"…","author_id":"0198…"}} with routing key
 * {@code user.{follower id}} or {@code author.{celebrity id}}, or {@code {"kind":"FOLLOWS_CHANGED"}} with
 * routing key {@code user.{follower id}}: the follower's instances re-read whom they follow.
 *
 * @param kind     what the receiving instance does
 * @param postId   the new post (UUIDv7); null for {@code FOLLOWS_CHANGED}
 * @param postText its text, 1 to 5000 characters; null for {@code FOLLOWS_CHANGED}
 * @param authorId its author; null for {@code FOLLOWS_CHANGED}
 */
record LiveUpdate(Kind kind, UUID postId, String postText, UUID authorId) {

    enum Kind {
        /** A new post: a frame for the connections it is routed to. */
        POSTED,
        /** A follower followed or unfollowed someone: re-route their open connections. */
        FOLLOWS_CHANGED
    }

    static LiveUpdate posted(UUID postId, String postText, UUID authorId) {
        return new LiveUpdate(Kind.POSTED, postId, postText, authorId);
    }

    static LiveUpdate followsChanged() {
        return new LiveUpdate(Kind.FOLLOWS_CHANGED, null, null, null);
    }

    PostedFrame frame() {
        return new PostedFrame(postId.toString(), postText, authorId.toString());
    }
}
