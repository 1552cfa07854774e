package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;

/**
 * A user holds at most {@code max-connections-per-user} live-feed connections on an instance (3 here):
 * opening one more closes that user's oldest with 1008 and a reason that says why; the others, and
 * every other user's connections, stay open and keep receiving posts.
 */
class ConnectionLimitIT {

    static final int MAX = 3;
    static final Duration DELIVERY = Duration.ofSeconds(15);

    static LiveInstance instance;
    static SocialApi social;

    @BeforeAll
    static void start() {
        instance = LiveInstance.start("socnet.realtime.max-connections-per-user=" + MAX);
        social = new SocialApi(new ApiClient(instance.port()));
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void oneConnectionOverTheLimitClosesTheUsersOldestOnly() {
        Account author = social.register("Автор");
        Account reader = social.register("Читатель");
        Account other = social.register("Другой");
        social.follow(reader, author);
        social.follow(other, author);
        MeterRegistry meters = instance.bean(MeterRegistry.class);
        double overLimitBefore = meters.counter("socnet.realtime.connections.over.limit").count();
        List<LiveFeedClient> readers = new ArrayList<>();
        try (LiveFeedClient bystander = LiveFeedClient.connect(instance.port(), other.token())) {
            for (int i = 0; i < MAX; i++) {
                readers.add(LiveFeedClient.connect(instance.port(), reader.token()));
            }
            RealtimeIT.awaitConnected(instance, reader, other);
            String first = social.post(author, "все подключены");
            await().atMost(DELIVERY).untilAsserted(() -> {
                readers.forEach(c -> assertThat(c.count(first)).isEqualTo(1));
                assertThat(bystander.count(first)).isEqualTo(1);
            });
            assertThat(readers).as("at the limit nothing is closed").allMatch(LiveFeedClient::isOpen);

            readers.add(LiveFeedClient.connect(instance.port(), reader.token()));
            LiveFeedClient oldest = readers.getFirst();
            await().atMost(DELIVERY).until(() -> oldest.serverCloseCode() != 0);
            assertThat(oldest.serverCloseCode()).as("close status of the oldest").isEqualTo(1008);
            assertThat(oldest.serverCloseReason()).as("close reason").contains("too many connections")
                    .contains("at most " + MAX);
            assertThat(meters.counter("socnet.realtime.connections.over.limit").count())
                    .isEqualTo(overLimitBefore + 1);

            String second = social.post(author, "после лишнего подключения");
            List<LiveFeedClient> kept = readers.subList(1, readers.size());
            await().atMost(DELIVERY).untilAsserted(() -> {
                kept.forEach(c -> assertThat(c.count(second)).as("a kept connection").isEqualTo(1));
                assertThat(bystander.count(second)).as("another user's connection").isEqualTo(1);
            });
            assertThat(kept).as("the newer connections stay open").allMatch(LiveFeedClient::isOpen)
                    .allMatch(c -> c.serverCloseCode() == 0);
            assertThat(bystander.serverCloseCode()).isZero();
            assertThat(oldest.count(second)).as("the closed one gets nothing more").isZero();
        } finally {
            readers.forEach(LiveFeedClient::close);
        }
    }
}
