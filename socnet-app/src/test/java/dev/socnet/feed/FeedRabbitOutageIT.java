package dev.socnet.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi.Account;

/**
 * RabbitMQ stopped while posts are created: every create succeeds, its event waits in the outbox,
 * and after the broker restarts every post reaches every follower's cached feed exactly once. The
 * app runs against a RabbitMQ node of its own ({@link ThrowawayRabbit}); the shared broker is never
 * stopped. The context is closed after the test: its broker is gone by then.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "socnet.auth.jwt-secret=integration-tests-secret-at-least-32-bytes-long",
        "socnet.feed.outbox.resubmit-every=1s",
        "socnet.feed.outbox.resubmit-older-than=2s"})
class FeedRabbitOutageIT {

    static final int POSTS_WHILE_DOWN = 5;
    static final Duration FAN_OUT = Duration.ofSeconds(20);
    /** Broker restart (about 3 s here), container reconnect (2 s interval) and the next resubmission. */
    static final Duration RECOVERY = Duration.ofSeconds(90);
    static final ThrowawayRabbit RABBIT = new ThrowawayRabbit();

    @DynamicPropertySource
    static void rabbit(DynamicPropertyRegistry properties) {
        RABBIT.start();
        properties.add("spring.rabbitmq.addresses", RABBIT::address);
    }

    @AfterAll
    static void stopRabbit() {
        RABBIT.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void postsCreatedWhileRabbitMqIsDownReachEveryFollowerOnceItReturns() {
        SocialApi social = new SocialApi(new ApiClient(port));
        Account author = social.register("Автор");
        Account first = social.register("Первая");
        Account second = social.register("Второй");
        social.follow(first, author);
        social.follow(second, author);
        String before = social.post(author, "до остановки");
        await().atMost(FAN_OUT).untilAsserted(() -> {
            assertThat(social.feedIds(first)).containsExactly(before);
            assertThat(social.feedIds(second)).containsExactly(before);
        });

        RABBIT.stop();

        List<String> whileDown = new ArrayList<>();
        for (int i = 1; i <= POSTS_WHILE_DOWN; i++) {
            whileDown.add(0, social.post(author, "пока брокер лежит " + i));
        }
        for (String post : whileDown) {
            assertThat(outstandingRelays(post)).as("the event of %s waits in the outbox", post).isEqualTo(1);
        }

        RABBIT.start();

        List<String> expected = new ArrayList<>(whileDown);
        expected.add(before);
        await().atMost(RECOVERY).untilAsserted(() -> {
            assertThat(social.feedIds(first)).containsExactlyElementsOf(expected);
            assertThat(social.feedIds(second)).containsExactlyElementsOf(expected);
        });
        await().atMost(FAN_OUT).untilAsserted(() -> whileDown.forEach(post ->
                assertThat(outstandingRelays(post)).as("relayed: %s", post).isZero()));
        String after = social.post(author, "после возвращения");
        expected.add(0, after);
        await().atMost(FAN_OUT).untilAsserted(() ->
                assertThat(social.feedIds(first)).containsExactlyElementsOf(expected));
    }

    /** Incomplete outbox publications of the relay for this post (1 while it waits, 0 once relayed). */
    private long outstandingRelays(String postId) {
        return jdbc.sql("""
                select count(*) from event_publication
                 where listener_id = 'feed.relay.post-published'
                   and completion_date is null
                   and serialized_event like :post
                """)
                .param("post", "%" + postId + "%").query(Long.class).single();
    }
}
