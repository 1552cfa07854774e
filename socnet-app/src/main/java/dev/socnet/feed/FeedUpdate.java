package dev.socnet.feed;

import java.util.Locale;
import java.util.UUID;

import dev.socnet.post.PostDeleted;
import dev.socnet.post.PostEdited;
import dev.socnet.post.PostPublished;

/**
 * The fan-out worker's message, relayed from the outbox to RabbitMQ as JSON, e.g.
 * {@code {"kind":"PUBLISHED","post_id":"0199…","author_id":"0198…","created_at_millis":1760000000000}}
 * with routing key {@code post.published}.
 *
 * @param kind            what happened to the post
 * @param postId          the post (UUIDv7)
 * @param authorId        its author
 * @param createdAtMillis the post's creation time, ms since the epoch (UTC): its score in feeds
 */
record FeedUpdate(Kind kind, UUID postId, UUID authorId, long createdAtMillis) {

    enum Kind {
        PUBLISHED, EDITED, DELETED;

        /** {@code post.published}, {@code post.edited}, {@code post.deleted}. */
        String routingKey() {
            return "post." + name().toLowerCase(Locale.ROOT);
        }
    }

    static FeedUpdate of(PostPublished event) {
        return new FeedUpdate(Kind.PUBLISHED, event.postId(), event.authorId(), event.createdAt().toEpochMilli());
    }

    /** The creation time of an edited post is the timestamp inside its UUIDv7 (RFC 9562, 5.7). */
    static FeedUpdate of(PostEdited event) {
        return new FeedUpdate(Kind.EDITED, event.postId(), event.authorId(), event.postId().getMostSignificantBits() >>> 16);
    }

    static FeedUpdate of(PostDeleted event) {
        return new FeedUpdate(Kind.DELETED, event.postId(), event.authorId(), event.createdAt().toEpochMilli());
    }

    FeedEntry entry() {
        return new FeedEntry(postId, createdAtMillis);
    }
}
