package dev.socnet.feed;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is a celebrity, as the feed decides it (the feed module's public API), and the one place the
 * celebrity rule is written. A celebrity is an author with more than
 * {@code socnet.feed.celebrity-threshold-followers} followers, crowned once and for good: their posts
 * are merged into followers' feeds at read time instead of fanned out on write, except posts made
 * within {@code socnet.feed.celebrity-grace} of the crowning, which go both ways. Other modules that
 * route posts by the same rule (the live feed) and the bulk load of the follow graph
 * ({@code seed-graph}, socnet-tools) ask here rather than read or write the {@code celebrities} table.
 * Every method works on the primary, so a crowning or a follow is seen at once.
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

    /**
     * Whether a post of {@code authorId} created at {@code postCreatedAt} is pushed to each follower
     * (fan-out on write): yes for an ordinary author, and for a celebrity's post made less than
     * {@code socnet.feed.celebrity-grace} after the crowning. Index: celebrities_pkey.
     */
    boolean fansOutOnWrite(UUID authorId, Instant postCreatedAt);

    /**
     * Crowns every user with more than {@code socnet.feed.celebrity-threshold-followers} followers who
     * is not a celebrity yet, in the caller's transaction (so a bulk load that has just written
     * {@code friends} in that transaction is counted, and the crownings commit or roll back with it).
     * For bulk loads that write {@code friends} without the friend module's events: it publishes no
     * {@link CelebrityCrowned} (a bulk load refills no cached feeds). One aggregate over all of
     * {@code friends}: seconds to minutes for tens of millions of follows.
     *
     * @return how many users were crowned
     */
    long crownAllPastThreshold();

    /**
     * Forgets every crowning and every filled-feed record ({@code celebrities}, {@code feed_homes}), in
     * the caller's transaction: for a bulk load that replaces the whole follow graph they derive from.
     */
    void forgetAllCrowningsAndFilledFeeds();
}
