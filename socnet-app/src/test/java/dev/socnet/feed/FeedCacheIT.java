package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.socnet.IntegrationTest;
import dev.socnet.post.Post;

/**
 * The one-round-trip page read ({@link FeedCache#page}, script {@link FeedScripts#READ_PAGE}) against
 * the real Redis: the merge of a feed with celebrities' timelines (order, ties, each post once, the
 * offset/limit window), the post bodies it returns, and what it reports when a feed or a timeline
 * is not cached.
 */
@IntegrationTest
class FeedCacheIT {

    static final long T = 1_760_000_000_000L;

    @Autowired
    FeedCache cache;

    @Autowired
    StringRedisTemplate redis;

    private final List<String> keys = new ArrayList<>();

    @AfterEach
    void forgetKeys() {
        redis.delete(keys);
    }

    @Test
    void aFeedThatIsNotCachedIsReportedMissing() {
        assertThat(cache.page(UUID.randomUUID(), 0, 10)).isInstanceOf(FeedCache.HomeMissing.class);
    }

    @Test
    void aFeedWithNoPostsIsAnEmptyPageNotAMiss() {
        UUID reader = home(FeedHeader.NONE, List.of());

        FeedCache.Page page = (FeedCache.Page) cache.page(reader, 0, 10);

        assertThat(page.ids()).isEmpty();
        assertThat(page.header()).isEqualTo(FeedHeader.NONE);
    }

    @Test
    void aFeedWithoutCelebritiesIsPagedNewestFirst() {
        List<FeedEntry> entries = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            entries.add(entry(T - i));
        }
        UUID reader = home(FeedHeader.NONE, entries.reversed());
        List<UUID> newestFirst = entries.stream().map(FeedEntry::postId).toList();

        assertThat(ids(cache.page(reader, 0, 10))).isEqualTo(newestFirst.subList(0, 10));
        assertThat(ids(cache.page(reader, 20, 30))).isEqualTo(newestFirst.subList(20, 25));
        assertThat(ids(cache.page(reader, 25, 35))).isEmpty();
    }

    @Test
    void timelinesOfFollowedCelebritiesThatAreNotCachedAreNamed() {
        UUID cached = UUID.randomUUID();
        UUID notCached = UUID.randomUUID();
        timeline(cached, List.of(entry(T)));
        UUID reader = home(new FeedHeader(List.of(cached, notCached)), List.of(entry(T + 1)));

        assertThat(cache.page(reader, 0, 10))
                .isEqualTo(new FeedCache.TimelinesMissing(List.of(notCached)));
    }

    @Test
    void theFeedAndTimelinesAreMergedNewestFirstEachPostOnceWithinTheWindow() {
        FeedEntry a = entry(T + 3);
        FeedEntry b = entry(T + 2);
        FeedEntry c = entry(T + 1);
        FeedEntry d = entry(T);
        UUID celebrity = UUID.randomUUID();
        timeline(celebrity, List.of(b, a, d));
        // a is in both: pushed to the feed during the crowning's grace period, and on the timeline
        UUID reader = home(new FeedHeader(List.of(celebrity)), List.of(a, c));

        assertThat(ids(cache.page(reader, 0, 10))).containsExactly(a.postId(), b.postId(), c.postId(), d.postId());
        assertThat(ids(cache.page(reader, 0, 2))).containsExactly(a.postId(), b.postId());
        assertThat(ids(cache.page(reader, 1, 3))).containsExactly(b.postId(), c.postId());
        assertThat(ids(cache.page(reader, 4, 6))).isEmpty();
    }

    @Test
    void deepPagesOfAFeedWithSeveralTimelinesMatchASortOfAllTheirEntries() {
        // four sources of different density, read in chunks by the script; equal milliseconds across
        // sources, and a few posts both in the feed and on a timeline
        Random random = new Random(42);
        List<UUID> celebrities = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<FeedEntry> home = new ArrayList<>();
        Map<UUID, List<FeedEntry>> timelines = new LinkedHashMap<>();
        celebrities.forEach(c -> timelines.put(c, new ArrayList<>()));
        for (int i = 0; i < 400; i++) {
            FeedEntry entry = entry(T - random.nextInt(300));
            int source = random.nextInt(10);
            if (source < 6) {
                home.add(entry);
            } else {
                timelines.get(celebrities.get(source % 3)).add(entry);
            }
            if (source == 9 && i % 3 == 0) {
                home.add(entry);
            }
        }
        timelines.forEach(this::timeline);
        UUID reader = home(new FeedHeader(celebrities), home);
        List<UUID> expected = java.util.stream.Stream.concat(home.stream(), timelines.values().stream().flatMap(List::stream))
                .sorted(java.util.Comparator.comparingLong(FeedEntry::createdAtMillis).reversed()
                        .thenComparing(e -> e.postId().toString(), java.util.Comparator.reverseOrder()))
                .map(FeedEntry::postId).distinct().toList();
        assertThat(expected).hasSizeGreaterThan(300);

        for (int offset : new int[] {0, 7, 10, 45, 150, 290, 330}) {
            for (int limit : new int[] {1, 10, 100}) {
                int wanted = offset + limit;
                assertThat(ids(cache.page(reader, offset, wanted))).as("offset %d, limit %d", offset, limit)
                        .isEqualTo(expected.subList(Math.min(offset, expected.size()), Math.min(wanted, expected.size())));
            }
        }
    }

    @Test
    void postsOfTheSameMillisecondAreOrderedByIdAsUnsignedNumbersLikePostgreSql() {
        // The second id's low half has its top bit set: negative as a signed long, larger unsigned.
        FeedEntry small = new FeedEntry(UUID.fromString("01a1fd20-0000-7000-0000-000000000001"), T);
        FeedEntry large = new FeedEntry(UUID.fromString("01a1fd20-0000-7000-8000-000000000000"), T);
        UUID celebrity = UUID.randomUUID();
        timeline(celebrity, List.of(large));
        UUID reader = home(new FeedHeader(List.of(celebrity)), List.of(small));
        UUID single = home(FeedHeader.NONE, List.of(small, large));

        assertThat(ids(cache.page(reader, 0, 10))).containsExactly(large.postId(), small.postId());
        assertThat(ids(cache.page(single, 0, 10))).containsExactly(large.postId(), small.postId());
    }

    @Test
    void theBodiesInThePostCacheComeWithThePageAndTheOthersAreLeftOut() {
        FeedEntry cachedPost = entry(T + 1);
        FeedEntry uncachedPost = entry(T);
        UUID author = UUID.randomUUID();
        Post body = new Post(cachedPost.postId(), "Привет, \"мир\" \\ {}", author);
        cache.putPosts(List.of(body));
        keys.add(FeedKeys.post(cachedPost.postId()));
        UUID reader = home(FeedHeader.NONE, List.of(cachedPost, uncachedPost));

        FeedCache.Page page = (FeedCache.Page) cache.page(reader, 0, 10);

        assertThat(page.ids()).containsExactly(cachedPost.postId(), uncachedPost.postId());
        assertThat(page.posts()).containsExactlyEntriesOf(Map.of(cachedPost.postId(), body));
    }

    private UUID home(FeedHeader header, List<FeedEntry> entries) {
        UUID reader = UUID.randomUUID();
        cache.fillHome(reader, header, entries);
        keys.add(FeedKeys.home(reader));
        return reader;
    }

    private void timeline(UUID author, List<FeedEntry> entries) {
        cache.fillTimeline(author, entries);
        keys.add(FeedKeys.timeline(author));
    }

    private static List<UUID> ids(FeedCache.PageRead read) {
        assertThat(read).isInstanceOf(FeedCache.Page.class);
        return ((FeedCache.Page) read).ids();
    }

    private static FeedEntry entry(long millis) {
        return new FeedEntry(FeedIT.uuidV7(millis), millis);
    }
}
