package dev.socnet.feed;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.socnet.friend.FollowGraph;
import dev.socnet.friend.FollowStarted;

/**
 * Who is a celebrity ({@link CelebrityDirectory}) — an author with more than {@code socnet.feed.celebrity-threshold-followers}
 * followers, whose posts are merged into feeds at read time instead of fanned out on write — and
 * the crowning itself.
 *
 * <p>Crowning happens after a follow takes an author past the threshold, and is sticky: posts made
 * while an author was not fanned out must stay merged, even if followers leave later. When an author
 * is crowned, their followers' cached feeds are dropped: those feeds' headers do not list the new
 * celebrity yet, and each is refilled, with it, on its next read. Posts made within
 * {@code socnet.feed.celebrity-grace} of the crowning are still fanned out, to feeds that have not
 * been dropped yet; merging them as well is harmless (a merge shows each post once).
 */
@Component
class CelebrityRoster implements CelebrityDirectory {

    private static final Logger log = LoggerFactory.getLogger(CelebrityRoster.class);

    private final FeedRepository repository;
    private final FollowGraph graph;
    private final FeedManager feeds;
    private final FeedProperties properties;
    private final ApplicationEventPublisher events;

    CelebrityRoster(FeedRepository repository, FollowGraph graph, FeedManager feeds, FeedProperties properties,
            ApplicationEventPublisher events) {
        this.repository = repository;
        this.graph = graph;
        this.feeds = feeds;
        this.properties = properties;
        this.events = events;
    }

    @Override
    public Optional<Instant> crownedAt(UUID authorId) {
        return repository.crownedAt(authorId);
    }

    @Override
    public Map<UUID, Set<UUID>> celebritiesFollowedBy(Collection<UUID> followerIds) {
        return repository.celebritiesFollowedBy(followerIds);
    }

    /**
     * {@inheritDoc} The fan-out worker (cached feeds) and the live feed (online followers) both ask
     * here: one grace, {@code socnet.feed.celebrity-grace}.
     */
    @Override
    public boolean fansOutOnWrite(UUID authorId, Instant postCreatedAt) {
        return repository.crownedAt(authorId)
                .map(crowned -> postCreatedAt.isBefore(crowned.plus(properties.celebrityGrace())))
                .orElse(true);
    }

    @Override
    public long crownAllPastThreshold() {
        return repository.crownAllWithMoreFollowersThan(properties.celebrityThresholdFollowers());
    }

    @Override
    public void forgetAllCrowningsAndFilledFeeds() {
        repository.truncateCelebritiesAndFilledFeeds();
    }

    /** The crowning rule: more followers than the threshold. */
    private boolean pastThreshold(long followers) {
        return followers > properties.celebrityThresholdFollowers();
    }

    /**
     * After a follow commits: crowns the followee when they now have more followers than the
     * threshold. Runs asynchronously in its own transaction (the crowning commits together with
     * {@link CelebrityCrowned}); counts at most threshold + 1 followers.
     */
    @ApplicationModuleListener(id = "feed.celebrity.crown-on-follow")
    void on(FollowStarted follow) {
        UUID author = follow.followeeId();
        long threshold = properties.celebrityThresholdFollowers();
        if (repository.crownedAt(author).isPresent() || !pastThreshold(graph.countFollowers(author, threshold + 1))) {
            return;
        }
        if (repository.crown(author)) {
            log.info("{} has more than {} followers: crowned a celebrity, their posts are merged at read time",
                    author, threshold);
            events.publishEvent(new CelebrityCrowned(author));
        }
    }

    /** After a crowning commits: drops the cached feeds of the new celebrity's followers, in batches. */
    @ApplicationModuleListener(id = "feed.celebrity.drop-follower-feeds")
    void on(CelebrityCrowned crowned) {
        graph.forEachFollowerBatch(crowned.userId(), properties.fanOutBatchSize(), feeds::dropHomes);
    }
}
