package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;

/**
 * Follow and unfollow change a cached feed by what they add or remove (the followee's posts, or a
 * celebrity in the header), never by rebuilding it from every followee: the work per request is
 * bounded by the feed's length. Each test checks the bound (a post that only a rebuild would find
 * stays out; a feed that is not cached stays uncached) and the result (the feed equals the one a
 * fill from scratch builds). Same properties as {@link FeedIT}, so both share one application.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "socnet.feed.celebrity-threshold-followers=3",
        "socnet.feed.celebrity-grace=0s"})
class FollowMergeIT extends SocialApiIntegration {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void followAndUnfollowDoNotReadTheOtherFolloweesPosts() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        Account vera = social.register("Вера");
        Account reader = social.register("Читатель");
        List<String> annas = insertPosts(anna, 3, Instant.now().minusSeconds(3000));
        List<String> veras = insertPosts(vera, 2, Instant.now().minusSeconds(2500));
        social.follow(reader, anna);
        social.follow(reader, vera);
        assertThat(social.feedIds(reader)).as("cached now").isEqualTo(merged(annas, veras));
        // Only a rebuild would find this post: it is in PostgreSQL but was never pushed.
        String unpushed = insertPosts(anna, 1, Instant.now().minusSeconds(2000)).getFirst();
        List<String> boriss = insertPosts(boris, 2, Instant.now().minusSeconds(1000));

        social.follow(reader, boris);
        assertThat(social.feedIds(reader)).as("after following Boris")
                .isEqualTo(merged(boriss, annas, veras)).doesNotContain(unpushed);

        social.unfollow(reader, vera);
        assertThat(social.feedIds(reader)).as("after unfollowing Vera")
                .isEqualTo(merged(boriss, annas)).doesNotContain(unpushed);
    }

    @Test
    void aFollowDoesNotFillAFeedThatIsNotCachedAndItsNextReadShowsTheFollow() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        List<String> posts = insertPosts(author, 3, Instant.now().minusSeconds(600));

        social.follow(reader, author);

        assertThat(redis.hasKey(home(reader))).as("no fill inside the follow").isFalse();
        assertThat(social.feedIds(reader)).isEqualTo(posts);
        social.unfollow(reader, author);
        assertThat(social.feedIds(reader)).isEmpty();
    }

    @Test
    void theFeedAfterEachFollowAndUnfollowIsTheFeedAFillBuilds() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        Account star = social.register("Звезда");
        Account reader = social.register("Читатель");
        insertPosts(anna, 20, Instant.now().minusSeconds(5000));
        insertPosts(boris, 20, Instant.now().minusSeconds(5000).plusMillis(500));
        insertPosts(star, 5, Instant.now().minusSeconds(5000).plusMillis(700));
        for (int i = 0; i < 4; i++) {
            social.follow(social.register("Фанат"), star);
        }
        await().atMost(FeedIT.FAN_OUT).until(() -> isCelebrity(star));
        social.follow(reader, anna);
        assertThat(social.feedIds(reader)).hasSize(20);

        social.follow(reader, boris);
        assertIsTheFilledFeed(reader, 40);
        social.follow(reader, star);
        assertIsTheFilledFeed(reader, 45);
        assertThat(redis.opsForZSet().score(home(reader), social.feedIds(reader).getFirst()))
                .as("a celebrity's posts are merged at read time, not copied into the feed").isNull();
        social.unfollow(reader, anna);
        assertIsTheFilledFeed(reader, 25);
        social.unfollow(reader, star);
        assertIsTheFilledFeed(reader, 20);
    }

    @Test
    void aFollowIntoAFullFeedKeepsTheNewest1000AndAnUnfollowLeavesItsStart() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        Account reader = social.register("Читатель");
        Instant start = Instant.now().minusSeconds(86_400);
        insertPosts(anna, 1000, start);
        List<String> boriss = insertPosts(boris, 300, start.plusMillis(500)); // newer than half of Anna's
        social.follow(reader, anna);
        assertThat(social.feedIds(reader)).hasSize(1000);

        social.follow(reader, boris);
        List<String> followed = social.feedIds(reader);
        assertThat(followed).hasSize(1000).containsAll(boriss);
        assertIsTheFilledFeed(reader, 1000);

        social.unfollow(reader, boris);
        List<String> unfollowed = social.feedIds(reader);
        assertThat(unfollowed).as("Boris's posts are gone, nothing else").hasSize(700)
                .isEqualTo(followed.stream().filter(id -> !boriss.contains(id)).toList());
        redis.delete(home(reader));
        assertThat(social.feedIds(reader)).as("a fill also reads back Anna's older posts").hasSize(1000)
                .startsWith(unfollowed.toArray(String[]::new));
    }

    /** The reader's feed as served now equals the feed a fill from scratch serves, and has {@code size} posts. */
    private void assertIsTheFilledFeed(Account reader, int size) {
        List<String> merged = social.feedIds(reader);
        redis.delete(home(reader));
        assertThat(merged).hasSize(size).isEqualTo(social.feedIds(reader));
    }

    @SafeVarargs
    private static List<String> merged(List<String>... newestFirst) {
        // ids are UUIDv7 of their creation time: their order is the feed's
        return java.util.Arrays.stream(newestFirst).flatMap(List::stream)
                .sorted(java.util.Comparator.comparing(UUID::fromString, FollowMergeIT::unsigned).reversed())
                .toList();
    }

    private static int unsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static String home(Account user) {
        return FeedKeys.home(UUID.fromString(user.id()));
    }

    private boolean isCelebrity(Account user) {
        return jdbc.sql("select count(*) from celebrities where user_id = :id")
                .param("id", UUID.fromString(user.id())).query(Long.class).single() == 1;
    }

    /**
     * Inserts {@code count} posts of {@code author} straight into PostgreSQL (no fan-out), one
     * millisecond apart from {@code from} on, in one statement.
     *
     * @return their ids, newest first
     */
    private List<String> insertPosts(Account author, int count, Instant from) {
        List<UUID> ids = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant createdAt = from.truncatedTo(ChronoUnit.MILLIS).plusMillis(i);
            ids.add(FeedIT.uuidV7(createdAt.toEpochMilli()));
            millis.add(createdAt.toEpochMilli());
        }
        jdbc.sql("""
                insert into posts (id, author_id, text, created_at)
                select id, :author, 'пост', timestamptz 'epoch' + ms * interval '1 millisecond'
                  from unnest(cast(:ids as uuid[]), cast(:millis as bigint[])) as t(id, ms)
                """)
                .param("author", UUID.fromString(author.id())).param("ids", ids.toArray(UUID[]::new))
                .param("millis", millis.toArray(Long[]::new)).update();
        return ids.reversed().stream().map(UUID::toString).toList();
    }
}
