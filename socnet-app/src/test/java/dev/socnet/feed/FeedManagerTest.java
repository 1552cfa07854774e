package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.socnet.post.Post;
import dev.socnet.post.PostCatalog;
import tools.jackson.databind.json.JsonMapper;

/**
 * The feed's semantics where they need no PostgreSQL: reading pages of a cached feed (offset, limit and
 * the {@code max-items} window; celebrities' timelines merged in; bodies missing from the post cache
 * loaded once; deleted posts dropped), and pushing posts into and out of cached feeds. Redis is real
 * ({@link ThrowawayRedis}: a redis-server of the test's own, no cluster); the post module is a
 * hand-written {@link PostCatalog}. The feed repository is absent: a path that reached PostgreSQL would
 * fail here. Fills from PostgreSQL, follows and the fallback when Redis is down are FeedIT's,
 * FeedCacheIT's and FeedRedisOutageIT's (cluster).
 */
class FeedManagerTest {

    static final int MAX_ITEMS = 5;
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, ms

    @RegisterExtension
    static final ThrowawayRedis redisServer = new ThrowawayRedis();

    final Catalog catalog = new Catalog();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    FeedCache cache;
    FeedManager feeds;
    final UUID reader = UUID.randomUUID();
    final UUID author = UUID.randomUUID();

    @BeforeEach
    void feedManager() {
        FeedProperties properties = properties();
        cache = new FeedCache(new StringRedisTemplate(redisServer.connections()), JsonMapper.builder().build(), properties,
                Duration.ofMillis(500));
        feeds = new FeedManager(cache, null, catalog, properties, meters);
    }

    @Test
    void aPageOfACachedFeedIsItsPostsNewestFirstFromOffsetToLimit() {
        List<Post> posts = posts(author, 4);
        cacheFeed(reader, FeedHeader.NONE, posts);

        assertThat(feeds.read(reader, 1, 2)).containsExactly(posts.get(2), posts.get(1));
        assertThat(feeds.read(reader, 0, 10)).containsExactly(posts.get(3), posts.get(2), posts.get(1), posts.get(0));
        assertThat(meters.counter("socnet.feed.reads", "source", "redis").count()).isEqualTo(2);
    }

    @Test
    void aFeedEndsAfterMaxItemsPosts() {
        List<Post> posts = posts(author, MAX_ITEMS);
        cacheFeed(reader, FeedHeader.NONE, posts);

        assertThat(feeds.read(reader, 3, 10)).hasSize(MAX_ITEMS - 3);
        assertThat(feeds.read(reader, MAX_ITEMS, 10)).isEmpty();
    }

    @Test
    void aFollowedCelebritysPostsAreMergedIntoThePageByTime() {
        UUID celebrity = UUID.randomUUID();
        List<Post> ordinary = posts(author, 2);                    // at T0, T0 + 1 s
        List<Post> famous = posts(celebrity, 2, T0 + 500);          // at T0 + 0.5 s, T0 + 1.5 s
        cacheFeed(reader, new FeedHeader(List.of(celebrity)), ordinary);
        cache.fillTimeline(celebrity, entries(famous));
        cache.putPosts(famous);

        assertThat(feeds.read(reader, 0, 10))
                .containsExactly(famous.get(1), ordinary.get(1), famous.get(0), ordinary.get(0));
    }

    @Test
    void bodiesMissingFromThePostCacheAreReadFromThePostModuleOnceAndCached() {
        List<Post> posts = posts(author, 3);
        cache.fillHome(reader, FeedHeader.NONE, entries(posts));   // ids cached, bodies not
        catalog.add(posts);

        assertThat(feeds.read(reader, 0, 10)).containsExactly(posts.get(2), posts.get(1), posts.get(0));
        assertThat(catalog.asked).isEqualTo(1);

        assertThat(feeds.read(reader, 0, 10)).hasSize(3);
        assertThat(catalog.asked).isEqualTo(1);
    }

    @Test
    void aPostDeletedAfterItWasCachedLeavesThePageAndTheCachedFeed() {
        List<Post> posts = posts(author, 3);
        cacheFeed(reader, FeedHeader.NONE, posts);
        cache.evictPost(posts.get(1).id());               // deleted: body evicted, the post module has it no more
        catalog.posts.remove(posts.get(1).id());

        assertThat(feeds.read(reader, 0, 10)).containsExactly(posts.get(2), posts.get(0));
        assertThat(cache.window(reader)).hasValueSatisfying(window -> assertThat(window.entries()).isEqualTo(2));
    }

    @Test
    void aPushedPostTopsTheCachedFeedsOfFollowersAndTheOldestFallsOut() {
        UUID idle = UUID.randomUUID();
        List<Post> posts = posts(author, MAX_ITEMS + 1);
        cacheFeed(reader, FeedHeader.NONE, posts.subList(0, MAX_ITEMS));
        Post newest = posts.get(MAX_ITEMS);
        cache.putPosts(List.of(newest));

        feeds.pushToHomes(List.of(reader, idle), entry(newest));

        List<Post> page = feeds.read(reader, 0, 10);
        assertThat(page).hasSize(MAX_ITEMS).startsWith(newest).doesNotContain(posts.get(0));
        assertThat(cache.hasHome(idle)).as("a feed nobody reads is not built by pushes").isFalse();
    }

    @Test
    void anUnpushedPostLeavesTheCachedFeeds() {
        List<Post> posts = posts(author, 3);
        cacheFeed(reader, FeedHeader.NONE, posts);

        feeds.unpushFromHomes(List.of(reader), posts.get(2).id());

        assertThat(feeds.read(reader, 0, 10)).containsExactly(posts.get(1), posts.get(0));
    }

    @Test
    void aCachedFeedIsNotFilledAgainAndADroppedOneIsGone() {
        cacheFeed(reader, FeedHeader.NONE, posts(author, 2));

        assertThat(feeds.populateHomeIfMissing(reader)).isFalse();

        feeds.dropHomes(List.of(reader));
        assertThat(cache.hasHome(reader)).isFalse();
    }

    @Test
    void anEvictedPostBodyIsReadAgainOnTheNextPage() {
        List<Post> posts = posts(author, 1);
        cacheFeed(reader, FeedHeader.NONE, posts);
        Post edited = new Post(posts.get(0).id(), "edited", author);
        catalog.add(List.of(edited));

        feeds.evictPost(edited.id());

        assertThat(feeds.read(reader, 0, 10)).containsExactly(edited);
    }

    /** Caches a feed of these posts (ids and bodies), as a fill and the post cache would. */
    private void cacheFeed(UUID userId, FeedHeader header, List<Post> posts) {
        cache.fillHome(userId, header, entries(posts));
        cache.putPosts(posts);
        catalog.add(posts);
    }

    /** {@code n} posts of {@code authorId}, one second apart from {@link #T0}, oldest first. */
    private static List<Post> posts(UUID authorId, int n) {
        return posts(authorId, n, T0);
    }

    private static List<Post> posts(UUID authorId, int n, long firstMillis) {
        return IntStream.range(0, n).mapToObj(i -> new Post(postId(firstMillis + i * 1000L), "post " + i, authorId))
                .toList();
    }

    /** A UUIDv7-shaped id whose first 48 bits are {@code createdAtMillis}, as the post module makes them. */
    private static UUID postId(long createdAtMillis) {
        long random = UUID.randomUUID().getLeastSignificantBits();
        return new UUID((createdAtMillis << 16) | 0x7000L | (random & 0x0FFFL),
                (random & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }

    private static List<FeedEntry> entries(List<Post> posts) {
        return posts.stream().map(FeedManagerTest::entry).toList();
    }

    private static FeedEntry entry(Post post) {
        return new FeedEntry(post.id(), post.id().getMostSignificantBits() >>> 16);
    }

    static FeedProperties properties() {
        return new FeedProperties(true, MAX_ITEMS, 10_000, Duration.ofMinutes(1), Duration.ofDays(1),
                Duration.ofHours(1), 1000, new FeedProperties.WarmUp(false, 0, 1),
                new FeedProperties.Outbox(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), 500,
                        200, Duration.ofMinutes(1), 200),
                new FeedProperties.Amqp("", "", 1, 50));
    }

    /** The post module as the feed sees it: the posts that exist now, and how often it was asked. */
    static final class Catalog implements PostCatalog {

        final Map<UUID, Post> posts = new HashMap<>();
        int asked;

        void add(Collection<Post> added) {
            added.forEach(post -> posts.put(post.id(), post));
        }

        @Override
        public Map<UUID, Post> findAll(Collection<UUID> ids) {
            asked++;
            Map<UUID, Post> found = new HashMap<>();
            ids.forEach(id -> {
                if (posts.containsKey(id)) {
                    found.put(id, posts.get(id));
                }
            });
            return found;
        }
    }
}
