package dev.socnet.feed;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.socnet.post.PostDeleted;
import dev.socnet.post.PostEdited;

/**
 * Forgets a post's cached body right after its update or deletion commits, in the request's thread,
 * so the author's next read shows the change. The fan-out worker forgets it once more when the
 * relayed event arrives, which also covers a reader that refilled the cache from the old row in
 * between. Stored in the outbox like {@link FollowChanges}: retried while Redis is unreachable.
 */
@Component
class PostChanges {

    private final FeedManager feeds;

    PostChanges(FeedManager feeds) {
        this.feeds = feeds;
    }

    @TransactionalEventListener(id = "feed.post.evict-on-edit")
    void on(PostEdited edited) {
        feeds.evictPost(edited.postId());
    }

    @TransactionalEventListener(id = "feed.post.evict-on-delete")
    void on(PostDeleted deleted) {
        feeds.evictPost(deleted.postId());
    }
}
