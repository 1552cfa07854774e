package dev.socnet.post;

import java.time.Instant;
import java.util.UUID;

/**
 * A post was created (committed with the row, stored in the event publication registry).
 *
 * @param postId    UUIDv7 of the new post
 * @param authorId  its author
 * @param createdAt creation time, UTC, millisecond precision (the timestamp inside {@code postId})
 */
public record PostPublished(UUID postId, UUID authorId, Instant createdAt) {
}
