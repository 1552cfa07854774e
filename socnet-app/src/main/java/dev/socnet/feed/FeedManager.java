package dev.socnet.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.socnet.post.Post;
import dev.socnet.post.PostCatalog;

/**
 * What the feed means, in one place (after Mastodon's {@code FeedManager}): reading a feed, filling
 * it, pushing a post into followers' cached feeds and taking it out again.
 *
 * <p>A user's feed is the newest {@code socnet.feed.max-items} posts of everyone they follow, newest
 * first. Redis caches it per user as a sorted set (see {@link FeedKeys}) that the fan-out worker
 * keeps current by pushing each new post of an ordinary author (fan-out on write). Celebrities'
 * posts are not pushed: the feed's header lists the celebrities the user follows, and their cached
 * timelines are merged in at read time (fan-out on read). A feed that is not cached is filled from
 * PostgreSQL on demand; when Redis is unavailable the page is read from PostgreSQL instead, so a
 * reader never gets an error for it.
 */
@Service
class FeedManager {

    /**
     * A fill reads PostgreSQL, then replaces the cached feed. A post committed after that read but
     * pushed by the fan-out worker before the replacement would be wiped by it; so a fill ends by
     * pushing again every post created since its read began minus this margin. The margin covers
     * the time between a post's {@code created_at} (taken before its insert) and its commit — one
     * insert and one outbox row, milliseconds — with a wide safety factor.
     */
    static final Duration CATCH_UP_MARGIN = Duration.ofSeconds(30);

    /**
     * Reads of one page that found posts deleted after they were cached (their ids are then
     * removed, and the page is read again) before the page is served as it is.
     */
    static final int MAX_READ_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(FeedManager.class);

    private final FeedCache cache;
    private final FeedRepository repository;
    private final PostCatalog catalog;
    private final FeedProperties properties;
    private final Counter cachedReads;
    private final Counter databaseReads;

    FeedManager(FeedCache cache, FeedRepository repository, PostCatalog catalog, FeedProperties properties,
            MeterRegistry meters) {
        this.cache = cache;
        this.repository = repository;
        this.catalog = catalog;
        this.properties = properties;
        this.cachedReads = Counter.builder("socnet.feed.reads").tag("source", "redis")
                .description("feed pages served from the Redis cache").register(meters);
        this.databaseReads = Counter.builder("socnet.feed.reads").tag("source", "postgresql")
                .description("feed pages served from PostgreSQL: Redis unavailable, or socnet.feed.read-from-cache=false")
                .register(meters);
    }

    /**
     * One page of a user's feed.
     *
     * @param offset posts to skip, at least 0; at or past {@code socnet.feed.max-items} the page is empty
     * @param limit  posts to return, at least 1
     * @return at most {@code limit} posts, newest first
     */
    List<Post> read(UUID userId, int offset, int limit) {
        int window = properties.maxItems();
        if (offset >= window) {
            return List.of();
        }
        int wanted = Math.min(offset + limit, window);
        if (!properties.readFromCache()) {
            databaseReads.increment();
            return repository.homePage(userId, offset, wanted - offset, wanted);
        }
        try {
            List<Post> page = readCached(userId, offset, wanted);
            cachedReads.increment();
            return page;
        } catch (CacheUnavailableException e) {
            log.warn("feed of {} served from PostgreSQL: {}", userId, e.getMessage());
            databaseReads.increment();
            return repository.homePage(userId, offset, wanted - offset, wanted);
        }
    }

    /**
     * Fills (or refills) a user's cached feed from PostgreSQL and records it for the startup warm-up.
     *
     * @throws CacheUnavailableException when Redis is unavailable
     */
    void populateHome(UUID userId) {
        Instant readStarted = Instant.now();
        FeedRepository.HomeSource source = repository.homeSource(userId, properties.maxItems());
        cache.fillHome(userId, source.header(), source.entries());
        cache.pushToHome(userId, repository.homeEntriesSince(userId, readStarted.minus(CATCH_UP_MARGIN),
                properties.maxItems()));
        repository.markFilled(userId);
    }

    /**
     * After {@code followerId} started following {@code followeeId}: merges what the follow adds into
     * the follower's cached feed, so the next read shows it. The work is bounded by the feed's
     * length, whatever the number of the follower's other followees: one primary read of the
     * followee's newest {@code socnet.feed.max-items} posts at most — only those not older than the
     * feed's oldest post when the feed is full — then one pipeline of pushes (each trims the feed).
     * A celebrity followee is added to the feed's header instead (their posts are merged at read
     * time). A feed that is not cached is left alone: its next fill reads the follow from the primary.
     * Does nothing when the follow has been undone since (a resubmitted publication). After
     * Mastodon's {@code FeedManager#merge_into_home}.
     *
     * @throws CacheUnavailableException when Redis is unavailable
     */
    void mergeIntoHome(UUID followerId, UUID followeeId) {
        FeedRepository.FollowState follow = repository.followState(followerId, followeeId);
        if (!follow.following()) {
            return;
        }
        if (follow.celebrity()) {
            cache.editHeader(followerId, followeeId, true);
            return;
        }
        Optional<FeedCache.Window> window = cache.window(followerId);
        if (window.isEmpty()) {
            return;
        }
        Instant since = window.get().entries() >= properties.maxItems()
                ? Instant.ofEpochMilli(window.get().oldestMillis()) : Instant.EPOCH;
        cache.pushToHome(followerId, repository.timeline(followeeId, properties.maxItems(), since));
    }

    /**
     * After {@code followerId} stopped following {@code followeeId}: takes the followee out of the
     * follower's cached feed — out of its header (a celebrity) and their posts out of its entries
     * (an ordinary author's, or a celebrity's pushed during the crowning's grace period). Bounded
     * like {@link #mergeIntoHome}: one primary read of the followee's posts not older than the feed's
     * oldest one, at most {@code socnet.feed.max-items}, and one ZREM. The feed then is exactly the
     * start of the feed a fill would build; when it was full it holds fewer posts than a fill would
     * (the older posts of the other followees that the removed ones had pushed out are not read back)
     * until pushes fill it up again or it is refilled. Does nothing when the follower follows again
     * (a resubmitted publication) or the feed is not cached. After Mastodon's
     * {@code FeedManager#unmerge_from_home}.
     *
     * @throws CacheUnavailableException when Redis is unavailable
     */
    void unmergeFromHome(UUID followerId, UUID followeeId) {
        if (repository.followState(followerId, followeeId).following()) {
            return;
        }
        cache.editHeader(followerId, followeeId, false);
        Optional<FeedCache.Window> window = cache.window(followerId);
        if (window.isEmpty() || window.get().entries() == 0) {
            return;
        }
        List<FeedEntry> posts = repository.timeline(followeeId, properties.maxItems(),
                Instant.ofEpochMilli(window.get().oldestMillis()));
        cache.removeFromHome(followerId, posts.stream().map(FeedEntry::postId).toList());
    }

    /** Fills a user's cached feed when it is not cached. @return true when it was filled now */
    boolean populateHomeIfMissing(UUID userId) {
        if (cache.hasHome(userId)) {
            return false;
        }
        populateHome(userId);
        return true;
    }

    /** Pushes a new post into the cached feeds of these followers (fan-out on write). */
    void pushToHomes(Collection<UUID> followerIds, FeedEntry post) {
        cache.pushToHomes(followerIds, post);
    }

    /** Takes a deleted post out of the cached feeds of these followers. */
    void unpushFromHomes(Collection<UUID> followerIds, UUID postId) {
        cache.removeFromHomes(followerIds, postId);
    }

    /** Adds a new post to its author's cached timeline, if it is cached (celebrities' timelines are). */
    void pushToTimeline(UUID authorId, FeedEntry post) {
        cache.pushToTimeline(authorId, List.of(post));
    }

    void unpushFromTimeline(UUID authorId, UUID postId) {
        cache.removeFromTimeline(authorId, postId);
    }

    /** Forgets these users' cached feeds (after their followee became a celebrity); refilled on next read. */
    void dropHomes(Collection<UUID> userIds) {
        cache.dropHomes(userIds);
    }

    /** Caches a post body (it is about to be read by many followers). */
    void cachePost(Post post) {
        cache.putPosts(List.of(post));
    }

    /** Forgets a cached post body (its text changed, or it was deleted). */
    void evictPost(UUID postId) {
        cache.evictPost(postId);
    }

    /**
     * A page from Redis in one round trip when the feed and the followed celebrities' timelines are
     * cached (the common case); otherwise they are filled first and the page read again. Posts
     * deleted after they were cached are taken out of the feed and timelines, and the page is read
     * again, at most {@value #MAX_READ_ATTEMPTS} times.
     */
    private List<Post> readCached(UUID userId, int offset, int wanted) {
        List<Post> page = List.of();
        for (int attempt = 1; attempt <= MAX_READ_ATTEMPTS; attempt++) {
            FeedCache.Page cached = cachedPage(userId, offset, wanted);
            Map<UUID, Post> posts = hydrate(cached);
            page = cached.ids().stream().map(posts::get).filter(Objects::nonNull).toList();
            if (page.size() == cached.ids().size()) {
                return page;
            }
            Set<UUID> deleted = new LinkedHashSet<>(cached.ids());
            deleted.removeAll(posts.keySet());
            cache.remove(userId, cached.header().celebrities(), deleted);
        }
        return page;
    }

    /**
     * The page as {@link FeedCache#page} reads it, after filling the user's feed or the followed
     * celebrities' timelines when they are not cached.
     *
     * @throws CacheUnavailableException when Redis is unavailable, or when what was just filled is
     *                                   gone again (evicted at once: Redis out of memory)
     */
    private FeedCache.Page cachedPage(UUID userId, int offset, int wanted) {
        FeedCache.PageRead read = cache.page(userId, offset, wanted);
        if (read instanceof FeedCache.HomeMissing) {
            populateHome(userId);
            read = cache.page(userId, offset, wanted);
        }
        if (read instanceof FeedCache.TimelinesMissing missing) {
            missing.celebrities().forEach(this::populateTimeline);
            read = cache.page(userId, offset, wanted);
        }
        if (read instanceof FeedCache.Page page) {
            return page;
        }
        throw new CacheUnavailableException(new IllegalStateException(
                "the cached feed of " + userId + " or a timeline it merges was evicted right after its fill: " + read));
    }

    /** Fills a celebrity's cached timeline from PostgreSQL, with the same catch-up as a feed fill. */
    private void populateTimeline(UUID authorId) {
        Instant readStarted = Instant.now();
        cache.fillTimeline(authorId, repository.timeline(authorId, properties.maxItems(), null));
        cache.pushToTimeline(authorId, repository.timeline(authorId, properties.maxItems(),
                readStarted.minus(CATCH_UP_MARGIN)));
    }

    /** The page's bodies: those the post cache had, plus the others read from PostgreSQL and cached. Deleted posts are absent. */
    private Map<UUID, Post> hydrate(FeedCache.Page page) {
        if (page.posts().size() == page.ids().size()) {
            return page.posts();
        }
        Map<UUID, Post> posts = new HashMap<>(page.posts());
        List<UUID> missing = page.ids().stream().filter(id -> !posts.containsKey(id)).toList();
        Map<UUID, Post> loaded = catalog.findAll(missing);
        cache.putPosts(loaded.values());
        posts.putAll(loaded);
        return posts;
    }
}
