package dev.socnet.feed;

import java.util.UUID;

/**
 * {@code userId} just became a celebrity (committed with the {@code celebrities} row). Internal to the
 * feed module; it exists so that dropping the followers' cached feeds is retried until it succeeds.
 */
record CelebrityCrowned(UUID userId) {
}
