package dev.socnet.friend;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** What other modules may ask about the follow graph. Reads the primary (a follow is visible at once). */
public interface FollowGraph {

    /**
     * Hands the followers of {@code authorId} to {@code batches}, in follower-id order, at most
     * {@code batchSize} at a time, reading each batch with a keyset query (so a million followers are
     * never held in memory at once). Index: friends_followee_follower_idx.
     *
     * @param batchSize ids per batch, at least 1
     */
    void forEachFollowerBatch(UUID authorId, int batchSize, Consumer<List<UUID>> batches);

    /**
     * The number of followers of {@code userId}, counting no further than {@code cap}: cheap even
     * for an account with millions of followers.
     *
     * @return {@code min(followers, cap)}
     */
    long countFollowers(UUID userId, long cap);
}
