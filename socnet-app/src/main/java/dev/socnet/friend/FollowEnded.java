package dev.socnet.friend;

import java.util.UUID;

/**
 * {@code followerId} stopped following {@code followeeId} (committed with the deletion of the
 * {@code friends} row; published only when there was a row).
 */
public record FollowEnded(UUID followerId, UUID followeeId) {
}
