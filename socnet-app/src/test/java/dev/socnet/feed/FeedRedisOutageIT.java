package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi.Account;

/**
 * Redis stopped mid-test: the feed is still served, correct and complete (from PostgreSQL), posts
 * and follows keep working, and once Redis is back (empty) feeds are refilled and fan-out resumes.
 * The app runs against a Redis and a RabbitMQ of its own ({@link ThrowawayRedis},
 * {@link ThrowawayRabbit}): the shared Redis is never stopped, and no app instance of another test,
 * which uses the shared Redis, consumes this test's fan-out messages. The context is closed after
 * the test: its servers are gone by then.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.auth.jwt-secret=integration-tests-secret-at-least-32-bytes-long")
class FeedRedisOutageIT {

    static final Duration FAN_OUT = Duration.ofSeconds(20);
    static final ThrowawayRedis REDIS = new ThrowawayRedis();
    static final ThrowawayRabbit RABBIT = new ThrowawayRabbit();

    @DynamicPropertySource
    static void redisAndRabbit(DynamicPropertyRegistry properties) {
        REDIS.start();
        RABBIT.start();
        properties.add("spring.data.redis.port", REDIS::port);
        properties.add("spring.rabbitmq.addresses", RABBIT::address);
    }

    @AfterAll
    static void stopRedisAndRabbit() {
        REDIS.close();
        RABBIT.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void feedStaysCorrectWhileRedisIsDownAndRecoversWhenItReturns() {
        SocialApi social = new SocialApi(new ApiClient(port));
        Account anna = social.register("Анна");
        Account boris = social.register("Борис");
        Account reader = social.register("Читатель");
        social.follow(reader, anna);
        social.follow(reader, boris);
        String a1 = social.post(anna, "a1");
        String b1 = social.post(boris, "b1");
        await().atMost(FAN_OUT).untilAsserted(() -> assertThat(social.feedIds(reader)).containsExactly(b1, a1));
        String home = FeedKeys.home(UUID.fromString(reader.id()));
        assertThat(redis.opsForZSet().score(home, b1)).as("served from the cache before the outage").isNotNull();

        REDIS.stop();

        assertThat(social.feedIds(reader)).as("Redis down: same feed, from PostgreSQL").containsExactly(b1, a1);
        String a2 = social.post(anna, "a2 while Redis is down");
        assertThat(social.feedIds(reader)).as("a new post is visible at once").containsExactly(a2, b1, a1);
        assertThat(SocialApi.ids(social.feed(reader, "?offset=1&limit=1"))).containsExactly(b1);
        social.unfollow(reader, boris);
        assertThat(social.feedIds(reader)).as("an unfollow is visible at once").containsExactly(a2, a1);

        REDIS.start();

        // The test's own probe shares the app's Lettuce connection, which reconnects in the background:
        // until it has, a probe fails with RedisSystemException. The assertions below must still hold
        // within FAN_OUT; only the probe's transient error is retried.
        await().atMost(FAN_OUT).ignoreExceptionsInstanceOf(DataAccessException.class).untilAsserted(() -> {
            assertThat(social.feedIds(reader)).containsExactly(a2, a1);
            assertThat(redis.opsForZSet().score(home, a2)).as("refilled into the cache").isNotNull();
        });
        String a3 = social.post(anna, "a3 after Redis returned");
        await().atMost(FAN_OUT).ignoreExceptionsInstanceOf(DataAccessException.class).untilAsserted(() -> {
            assertThat(social.feedIds(reader)).containsExactly(a3, a2, a1);
            assertThat(redis.opsForZSet().score(home, a3)).as("pushed by the fan-out").isNotNull();
        });
    }
}
