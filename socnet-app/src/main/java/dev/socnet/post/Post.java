package dev.socnet.post;

import java.util.UUID;

/**
 * A post as the contract's {@code Post} schema shows it: {@code {"id", "text", "author_user_id"}}.
 *
 * @param id           UUIDv7 of the post (its first 48 bits are the creation time in ms)
 * @param text         1 to {@link PostText#MAX_CHARS} characters
 * @param authorUserId id of the user who wrote it
 */
public record Post(UUID id, String text, UUID authorUserId) {
}
