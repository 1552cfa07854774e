package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.ThrowawayRabbit;

/**
 * An instance whose live-feed consumer stalls: its queue keeps only the newest
 * {@code queue-max-length} messages (here 5), drops the older ones into the dead-letter exchange,
 * where they are counted ({@code socnet_realtime_overflow_total} on the management port), and a flood
 * of posts meanwhile neither fails nor holds up anything: every create answers 200, every outbox
 * publication completes (the broker confirms publishes into the full queue), the feed shows every
 * post. Runs against a RabbitMQ of its own ({@link ThrowawayRabbit}); the shared broker is not
 * flooded and no shared consumer is paused.
 */
class RealtimeQueueBoundIT {

    static final Duration DELIVERY = Duration.ofSeconds(15);
    static final int BOUND = 5;
    static final int FLOOD = 20;

    static final ThrowawayRabbit RABBIT = new ThrowawayRabbit();
    static LiveInstance instance;
    static SocialApi social;
    static ApiClient management;

    @BeforeAll
    static void start() {
        RABBIT.start();
        instance = LiveInstance.start(
                "spring.rabbitmq.addresses=" + RABBIT.address(),
                "socnet.realtime.amqp.queue-max-length=" + BOUND,
                "socnet.feed.outbox.resubmit-every=1s",
                "socnet.feed.outbox.resubmit-older-than=2s");
        social = new SocialApi(new ApiClient(instance.port()));
        management = new ApiClient(instance.managementPort());
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        RABBIT.close();
    }

    @Test
    void aStalledConsumerGetsTheNewestPostsTheRestAreDroppedAndCountedAndPostingGoesOn() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        social.follow(reader, author);
        try (var client = LiveFeedClient.connect(instance.port(), reader.token())) {
            RealtimeIT.awaitConnected(instance, reader);
            String before = social.post(author, "до затора");
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.count(before)).isEqualTo(1));
            double droppedBefore = dropped();

            var consumer = instance.bean("realtimeListenerContainer", SimpleMessageListenerContainer.class);
            consumer.stop();
            List<String> flood = new ArrayList<>();
            try {
                for (int i = 1; i <= FLOOD; i++) {
                    flood.add(social.post(author, "поток " + i));
                }
                await().atMost(DELIVERY).untilAsserted(() -> assertThat(outstandingPublications(author))
                        .as("every live-feed and feed publish confirmed, though the queue is full").isZero());
                await().atMost(DELIVERY).untilAsserted(() -> assertThat(dropped() - droppedBefore)
                        .as("the oldest posts past the bound, dropped and counted").isEqualTo(FLOOD - BOUND));
                assertThat(client.frames()).as("nothing arrives while the consumer is stalled").hasSize(1);
            } finally {
                consumer.start();
            }

            List<String> newest = flood.subList(FLOOD - BOUND, FLOOD);
            await().atMost(DELIVERY).untilAsserted(
                    () -> newest.forEach(post -> assertThat(client.count(post)).as(post).isEqualTo(1)));
            assertThat(client.frames()).as("the newest %d kept, the older ones dropped", BOUND).hasSize(1 + BOUND);
            await().atMost(DELIVERY).untilAsserted(() -> assertThat(social.feedIds(reader))
                    .as("the feed's fan-out was not held up").containsAll(flood));
        }
    }

    /** {@code socnet_realtime_overflow_total{reason="maxlen"}} as the instance's Prometheus endpoint shows it; 0 before the first drop. */
    private static double dropped() {
        var response = management.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body().lines()
                .filter(line -> line.startsWith("socnet_realtime_overflow_total{") && line.contains("reason=\"maxlen\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Outbox publications (any listener) of events that name the author, not completed yet. */
    private static long outstandingPublications(Account author) {
        return instance.bean(JdbcClient.class)
                .sql("select count(*) from event_publication where completion_date is null and serialized_event like :author")
                .param("author", "%" + UUID.fromString(author.id()) + "%")
                .query(Long.class).single();
    }
}
