package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.socnet.ApiClient;
import dev.socnet.ScriptedHaproxy;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;

/**
 * An app instance stops while followers are connected to it through HAProxy (the cluster's configuration,
 * {@link ScriptedHaproxy}): their connections close
 * (1001, going away), they reconnect through HAProxy to the instance that is left, and receive the
 * posts created after that — each exactly once.
 */
class RealtimeFailoverIT {

    static final int FOLLOWERS = 6;
    static final Duration DELIVERY = Duration.ofSeconds(15);
    /** Graceful shutdown, HAProxy's next check (500 ms), the client's reconnect (200 ms steps). */
    static final Duration RECONNECT = Duration.ofSeconds(30);

    @Test
    void clientsOfAStoppedInstanceReconnectThroughHaproxyAndReceiveLaterPosts() throws Exception {
        try (LiveInstance survivor = LiveInstance.start();
                LiveInstance stopped = LiveInstance.start();
                var haproxy = new ScriptedHaproxy(List.of(survivor.backend(), stopped.backend()),
                        // a stopped instance leaves the pool at its first failed check, every 500 ms
                        Map.of("SOCNET_HAPROXY_CHECK_INTERVAL", "500ms", "SOCNET_HAPROXY_CHECK_FALL", "1"))) {
            SocialApi social = new SocialApi(new ApiClient(haproxy.port()));
            Account author = social.register("Автор");
            List<Account> followers = new ArrayList<>();
            List<LiveFeedClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < FOLLOWERS; i++) {
                    Account follower = social.register("Подписчик" + i);
                    social.follow(follower, author);
                    followers.add(follower);
                }
                // one after the other, so that round robin alternates them over the two instances
                for (Account follower : followers) {
                    clients.add(LiveFeedClient.reconnecting(haproxy.port(), follower.token()));
                }
                List<UUID> ids = followers.stream().map(f -> UUID.fromString(f.id())).toList();
                await().atMost(DELIVERY).untilAsserted(() -> {
                    // registered (bound, online), not only listed: a post made in between reaches no one
                    var onSurvivor = ids.stream().filter(survivor.bean(LiveConnections.class)::registered).toList();
                    var onStopped = ids.stream().filter(stopped.bean(LiveConnections.class)::registered).toList();
                    assertThat(onStopped).as("round robin puts some on each instance").isNotEmpty();
                    assertThat(onSurvivor).isNotEmpty();
                    var all = new java.util.HashSet<>(onSurvivor);
                    all.addAll(onStopped);
                    assertThat(all).containsAll(ids);
                });
                String before = social.post(author, "до остановки");
                await().atMost(DELIVERY).untilAsserted(() -> clients.forEach(c -> assertThat(c.count(before)).isEqualTo(1)));

                stopped.close();

                await().atMost(RECONNECT).untilAsserted(() -> {
                    assertThat(ids).allMatch(survivor.bean(LiveConnections.class)::registered);
                    clients.forEach(c -> assertThat(c.isOpen()).isTrue());
                });
                assertThat(clients).as("some clients reconnected").anyMatch(c -> c.connections() > 1);
                String after = social.post(author, "после остановки");
                await().atMost(DELIVERY).untilAsserted(() -> clients.forEach(c -> assertThat(c.count(after)).isEqualTo(1)));
                String last = new SocialApi(new ApiClient(survivor.port())).post(author, "ещё один");
                await().atMost(DELIVERY).untilAsserted(() -> clients.forEach(c -> assertThat(c.count(last)).isEqualTo(1)));
                clients.forEach(c -> assertThat(c.frames()).hasSize(3));
            } finally {
                clients.forEach(LiveFeedClient::close);
            }
        }
    }
}
