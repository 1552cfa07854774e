package dev.socnet.post;

import java.util.UUID;

/**
 * A post's text was changed by its author (committed with the row). Its place in feeds does not
 * change; cached copies of the text are stale.
 *
 * @param postId   the post
 * @param authorId its author
 */
public record PostEdited(UUID postId, UUID authorId) {
}
