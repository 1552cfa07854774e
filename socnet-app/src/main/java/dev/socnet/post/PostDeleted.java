package dev.socnet.post;

import java.time.Instant;
import java.util.UUID;

/**
 * A post was deleted by its author (its row is gone, committed with this event).
 *
 * @param postId    the deleted post
 * @param authorId  its author
 * @param createdAt when it had been created, UTC, millisecond precision
 */
public record PostDeleted(UUID postId, UUID authorId, Instant createdAt) {
}
