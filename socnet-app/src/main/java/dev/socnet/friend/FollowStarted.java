package dev.socnet.friend;

import java.util.UUID;

/**
 * {@code followerId} started following {@code followeeId} (committed with the {@code friends} row;
 * published only when the row is new, so repeating {@code /friend/set} publishes nothing).
 */
public record FollowStarted(UUID followerId, UUID followeeId) {
}
