package dev.socnet.feed;

import java.util.UUID;

/**
 * One post in a feed: its id and its creation time, the sorted-set member and score. Feeds are
 * ordered newest first, ties (same millisecond) by id descending as unsigned 128-bit numbers — the
 * order of PostgreSQL's {@code order by created_at desc, id desc} and of a Redis reverse range
 * (see {@link FeedScripts#READ_PAGE}).
 *
 * @param postId          UUIDv7 of the post
 * @param createdAtMillis creation time, ms since the epoch (UTC); the Redis score
 */
record FeedEntry(UUID postId, long createdAtMillis) {
}
