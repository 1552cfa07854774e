package dev.socnet.feed;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is a celebrity, as the feed decides it (the feed module's public API). A celebrity is an
 * author with more than {@code socnet.feed.celebrity-threshold-followers} followers, crowned once and
 * for good: their posts are merged into followers' feeds at read time instead of fanned out on write.
 * Other modules that route posts by the same rule (the live feed) ask here rather than read the
 * {@code celebrities} table. Both methods read the primary, so a crowning or a follow is seen at once.
 */
public interface CelebrityDirectory {

    /**
     * When {@code authorId} was crowned (UTC), or empty for an ordinary author.
     * Index: celebrities_pkey.
     */
    Optional<Instant> crownedAt(UUID authorId);

    /**
     * The celebrities each of {@code followerIds} follows.
     * Indexes: friends_pkey (follower_id, followee_id), one range scan per follower, and celebrities_pkey.
     *
     * @param followerIds at most a few tens of thousands of user ids
     * @return follower id → ids of the celebrities they follow; followers who follow none are absent
     */
    Map<UUID, Set<UUID>> celebritiesFollowedBy(Collection<UUID> followerIds);
}
