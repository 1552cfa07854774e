package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import tools.jackson.databind.JsonNode;

/**
 * GET /post/feed against the real PostgreSQL, Redis and RabbitMQ: order, cap, paging, follow and
 * unfollow, edits and deletions, the celebrity merge, refills of an emptied cache and the warm-up.
 * Celebrities here are authors with more than 3 followers, crowned without a grace period.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "socnet.feed.celebrity-threshold-followers=3",
        "socnet.feed.celebrity-grace=0s"})
class FeedIT extends SocialApiIntegration {

    /** Fan-out goes through the outbox, RabbitMQ and the worker: milliseconds normally. */
    static final Duration FAN_OUT = Duration.ofSeconds(15);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    FeedWarmUp warmUp;

    @Test
    void feedIsNewestFirstAcrossFolloweesAndPagesWithOffsetAndLimit() {
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        Account reader = social.register("Читатель");
        social.follow(reader, anna);
        social.follow(reader, boris);

        String a1 = social.post(anna, "a1");
        String b1 = social.post(boris, "b1");
        String a2 = social.post(anna, "a2");
        String b2 = social.post(boris, "b2");

        await().atMost(FAN_OUT).untilAsserted(() ->
                assertThat(social.feedIds(reader)).containsExactly(b2, a2, b1, a1));
        JsonNode first = social.feed(reader, "").get(0);
        assertThat(first.path("id").asString()).isEqualTo(b2);
        assertThat(first.path("text").asString()).isEqualTo("b2");
        assertThat(first.path("author_user_id").asString()).isEqualTo(boris.id());
        assertThat(SocialApi.ids(social.feed(reader, "?offset=1&limit=2"))).containsExactly(a2, b1);
        assertThat(SocialApi.ids(social.feed(reader, "?offset=3"))).containsExactly(a1);
        assertThat(SocialApi.ids(social.feed(reader, "?offset=4"))).isEmpty();
        assertThat(SocialApi.ids(social.feed(reader, "?limit=1"))).containsExactly(b2);
        assertThat(social.feedIds(anna)).as("the author's own posts are not in their feed").isEmpty();
    }

    @Test
    void defaultPageIsTheNewest10() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        List<String> newestFirst = insertPosts(author, 12, Instant.now().minusSeconds(3600));
        social.follow(reader, author);

        assertThat(SocialApi.ids(social.feed(reader, ""))).isEqualTo(newestFirst.subList(0, 10));
    }

    @Test
    void feedHoldsTheNewest1000PostsOnly() {
        Account author = social.register("Графоман");
        Account reader = social.register("Читатель");
        List<String> newestFirst = insertPosts(author, 1005, Instant.now().minusSeconds(86_400));
        social.follow(reader, author);

        assertThat(social.feedIds(reader)).isEqualTo(newestFirst.subList(0, 1000));
        assertThat(SocialApi.ids(social.feed(reader, "?offset=995&limit=10"))).isEqualTo(newestFirst.subList(995, 1000));
        assertThat(SocialApi.ids(social.feed(reader, "?offset=1000&limit=10"))).isEmpty();

        String latest = social.post(author, "ещё один");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(SocialApi.ids(social.feed(reader, "?limit=1")))
                .containsExactly(latest));
        List<String> feed = social.feedIds(reader);
        assertThat(feed).hasSize(1000).startsWith(latest).endsWith(newestFirst.get(998));
        assertThat(redis.opsForZSet().zCard(FeedKeys.home(UUID.fromString(reader.id()))))
                .as("the cached feed is trimmed: 1000 posts and its header").isEqualTo(1001);
    }

    @Test
    void offsetAndLimitOutOfRangeAre400() {
        Account reader = social.register("Читатель");
        api.get("/post/feed?offset=-1", reader.auth()).assertError(400, "offset");
        api.get("/post/feed?offset=1.5", reader.auth()).assertError(400, "offset");
        api.get("/post/feed?limit=0", reader.auth()).assertError(400, "limit");
        api.get("/post/feed?limit=1001", reader.auth()).assertError(400, "limit");
        api.get("/post/feed?limit=ten", reader.auth()).assertError(400, "limit");
        assertThat(api.get("/post/feed?limit=1000", reader.auth()).status()).isEqualTo(200);
        api.get("/post/feed").assertError(401, null);
    }

    @Test
    void followAndUnfollowChangeTheFeedAtOnce() {
        Account author = social.register("Автор");
        Account other = social.register("Другой");
        Account reader = social.register("Читатель");
        String p1 = social.post(author, "p1");
        String p2 = social.post(author, "p2");
        social.follow(reader, other);
        assertThat(social.feedIds(reader)).isEmpty();

        social.follow(reader, author);
        assertThat(social.feedIds(reader)).as("right after the follow").containsExactly(p2, p1);

        String p3 = social.post(author, "p3");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(p3, p2, p1));

        social.unfollow(reader, author);
        assertThat(social.feedIds(reader)).as("right after the unfollow").isEmpty();

        String p4 = social.post(author, "p4 after the unfollow");
        String o1 = social.post(other, "o1 after p4");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(o1));
        assertThat(social.feedIds(reader)).doesNotContain(p4);
    }

    @Test
    void editedTextShowsAtOnceAndDeletedPostsLeaveTheFeed() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        social.follow(reader, author);
        String p1 = social.post(author, "первая версия");
        String p2 = social.post(author, "удалю");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(p2, p1));

        social.edit(author, p1, "вторая версия");
        assertThat(social.feed(reader, "").get(1).path("text").asString()).isEqualTo("вторая версия");

        social.delete(author, p2);
        assertThat(social.feedIds(reader)).as("right after the deletion").containsExactly(p1);
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(
                redis.opsForZSet().score(FeedKeys.home(UUID.fromString(reader.id())), p2)).isNull());
    }

    @Test
    void celebrityPostsAreMergedAtReadTimeInsteadOfPushed() {
        Account star = social.register("Звезда");
        Account friend = social.register("Подруга");
        Account reader = social.register("Читатель");
        social.follow(reader, friend);
        social.follow(reader, star);
        for (int i = 0; i < 3; i++) {
            social.follow(social.register("Фанат"), star);
        }
        await().atMost(FAN_OUT).until(() -> isCelebrity(star));

        String f1 = social.post(friend, "f1");
        String s1 = social.post(star, "s1");
        String f2 = social.post(friend, "f2");
        String s2 = social.post(star, "s2");

        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(s2, f2, s1, f1));
        String home = FeedKeys.home(UUID.fromString(reader.id()));
        assertThat(redis.opsForZSet().score(home, f2)).as("ordinary posts are pushed").isNotNull();
        assertThat(redis.opsForZSet().score(home, s2)).as("celebrity posts are not pushed").isNull();
        assertThat(redis.opsForZSet().score(FeedKeys.timeline(UUID.fromString(star.id())), s2)).isNotNull();
        assertThat(SocialApi.ids(social.feed(reader, "?offset=1&limit=2"))).containsExactly(f2, s1);
    }

    @Test
    void crowningDropsTheFollowersCachedFeedsSoTheyMergeTheNewCelebrity() {
        Account star = social.register("Звезда");
        Account reader = social.register("Читатель");
        social.follow(reader, star);
        String before = social.post(star, "до славы");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(before));

        for (int i = 0; i < 3; i++) {
            social.follow(social.register("Фанат"), star);
        }
        await().atMost(FAN_OUT).until(() -> isCelebrity(star));
        String after = social.post(star, "после славы");

        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(after, before));
        assertThat(redis.opsForZSet().score(FeedKeys.home(UUID.fromString(reader.id())), after)).isNull();
    }

    @Test
    void anEmptiedCacheIsRefilledOnDemand() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        social.follow(reader, author);
        String p1 = social.post(author, "p1");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(p1));

        String home = FeedKeys.home(UUID.fromString(reader.id()));
        redis.delete(List.of(home, FeedKeys.post(UUID.fromString(p1))));
        assertThat(social.feed(reader, "").get(0).path("text").asString()).isEqualTo("p1");
        assertThat(redis.opsForZSet().score(home, p1)).isNotNull();
    }

    @Test
    void warmUpRefillsTheFeedsOfRecentlyActiveUsers() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        social.follow(reader, author);
        String p1 = social.post(author, "p1");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(p1));
        String home = FeedKeys.home(UUID.fromString(reader.id()));
        redis.delete(home);

        // the warm-up finds recently filled feeds on a replica: the reader's fill may reach it a moment later
        await().atMost(FAN_OUT).untilAsserted(() -> {
            warmUp.warmUp();
            assertThat(redis.opsForZSet().score(home, p1)).as("the reader's refilled feed").isNotNull();
        });
    }

    private boolean isCelebrity(Account user) {
        return jdbc.sql("select count(*) from celebrities where user_id = :id")
                .param("id", UUID.fromString(user.id())).query(Long.class).single() == 1;
    }

    /**
     * Inserts {@code count} posts of {@code author} straight into PostgreSQL, one millisecond apart
     * from {@code from} on (ids are UUIDv7 of that millisecond, as the app makes them).
     *
     * @return their ids, oldest first
     */
    /** Inserts {@code count} posts one millisecond apart from {@code from} on. @return their ids, newest first */
    private List<String> insertPosts(Account author, int count, Instant from) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant createdAt = from.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(i);
            UUID id = uuidV7(createdAt.toEpochMilli());
            jdbc.sql("insert into posts (id, author_id, text, created_at) values (:id, :author, :text, :at)")
                    .param("id", id).param("author", UUID.fromString(author.id())).param("text", "пост " + i)
                    .param("at", createdAt.atOffset(ZoneOffset.UTC)).update();
            ids.addFirst(id.toString());
        }
        return ids;
    }

    /** A UUIDv7 (RFC 9562, 5.7) of the given Unix millisecond with random remaining bits. */
    static UUID uuidV7(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
