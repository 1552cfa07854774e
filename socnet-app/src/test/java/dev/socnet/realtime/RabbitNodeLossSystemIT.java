package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.socnet.ApiClient;
import dev.socnet.LocalCluster;
import dev.socnet.ScriptedHaproxy;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;

/**
 * Issue 16, system test 1: a RabbitMQ node of the cluster is killed ({@code ./socnet rabbitmq kill N},
 * SIGKILL to its Erlang VM) under a stream of posts, with the author's followers connected to the live
 * feed through HAProxy over two app instances. The node killed is the one the first instance is
 * connected to, so that instance loses its connection, its exclusive live-feed queue and its bindings,
 * and must reconnect to another node, declare them again and consume; the fan-out's quorum queue loses a
 * replica (maybe its leader) and goes on.
 *
 * <p>What a user notices, asserted: every open live-feed socket stays open and receives frames again
 * within 5 s of the kill (the bound); and no post is missing from any follower's feed
 * ({@code GET /post/feed}) afterwards: zero lost, however the outbox relay's publishes and the fan-out's
 * deliveries were cut. The killed node is started again at the end and rejoins the cluster.
 */
class RabbitNodeLossSystemIT {

    static final int FOLLOWERS = 12;
    /** A post every this often from one author, before and after the kill. */
    static final Duration POST_EVERY = Duration.ofMillis(150);
    static final Duration BEFORE_KILL = Duration.ofSeconds(4);
    static final Duration AFTER_KILL = Duration.ofSeconds(12);
    /** The bound: live frames resume on every open socket within this after the kill. */
    static final Duration RESUME_WITHIN = Duration.ofSeconds(5);
    /** Outbox resubmission of a publish cut by the kill, then its fan-out: well inside this. */
    static final Duration FEEDS_COMPLETE = Duration.ofSeconds(90);

    record Posted(String id, long createdAtMillis) {
    }

    @Test
    void aKilledNodeLosesNoPostAndLiveFramesResumeWithinFiveSeconds() throws Exception {
        List<Integer> ports = Arrays.stream(System.getenv().getOrDefault("SOCNET_RABBITMQ_PORTS", "15670").trim()
                .split("\\s+")).map(Integer::parseInt).toList();
        assertThat(ports).as("SOCNET_RABBITMQ_PORTS: a cluster of three nodes").hasSizeGreaterThanOrEqualTo(3);
        int killed = -1;
        // one author posts ~100 times in 16 s: above the per-user post limit (30 a minute), which is not
        // what this test is about
        try (LiveInstance first = LiveInstance.start("socnet.realtime.ping-interval=2s", "socnet.rate-limits.enabled=false");
                LiveInstance second = LiveInstance.start("socnet.realtime.ping-interval=2s", "socnet.rate-limits.enabled=false");
                var haproxy = new ScriptedHaproxy(List.of(first.backend(), second.backend()),
                        Map.of("SOCNET_HAPROXY_CHECK_INTERVAL", "500ms"))) {
            SocialApi social = new SocialApi(new ApiClient(haproxy.port()));
            Account author = social.register("Автор");
            List<Account> followers = new ArrayList<>();
            for (int i = 0; i < FOLLOWERS; i++) {
                Account follower = social.register("Подписчик" + i);
                social.follow(follower, author);
                // the follower's feed is read once, so it is cached and the fan-out keeps it current
                social.feedIds(follower);
                followers.add(follower);
            }
            List<LiveFeedClient> clients = new ArrayList<>();
            ExecutorService poster = Executors.newSingleThreadExecutor();
            try {
                for (Account follower : followers) {
                    clients.add(LiveFeedClient.reconnecting(haproxy.port(), follower.token()));
                }
                // the handshake completes before the server lists the follower online: a post made in
                // between would find no one to send to (the live feed is for those online when it is posted)
                List<java.util.UUID> followerIds = followers.stream().map(f -> java.util.UUID.fromString(f.id())).toList();
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> first.bean(OnlinePresence.class).onlineAmong(followerIds).users().containsAll(followerIds));
                String warmUp = social.post(author, "до начала");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(
                        () -> clients.forEach(c -> assertThat(c.count(warmUp)).as("warm-up frame").isEqualTo(1)));

                // the node the first instance's connection goes to (random among the three)
                int port = first.bean(CachingConnectionFactory.class).createConnection().getDelegate().getPort();
                killed = ports.indexOf(port) + 1;
                assertThat(killed).as("the first instance's RabbitMQ port %d among %s", port, ports).isPositive();

                List<Posted> posted = new CopyOnWriteArrayList<>();
                long streamEnds = System.currentTimeMillis() + BEFORE_KILL.plus(AFTER_KILL).toMillis();
                Future<?> stream = poster.submit(() -> {
                    int n = 0;
                    while (System.currentTimeMillis() < streamEnds) {
                        long at = System.currentTimeMillis();
                        posted.add(new Posted(social.post(author, "пост " + n++), at));
                        sleepQuietly(POST_EVERY);
                    }
                });
                Thread.sleep(BEFORE_KILL.toMillis());
                // the node dies somewhere inside the command (./socnet starts, then kill -9 and a wait
                // for the pid): frames are judged from the command's start (gaps) and its end (resumption)
                long killStarted = System.currentTimeMillis();
                LocalCluster.socnet(60, "rabbitmq", "kill", Integer.toString(killed));
                long killedAt = System.currentTimeMillis();
                stream.get(AFTER_KILL.toSeconds() + 60, TimeUnit.SECONDS);
                Thread.sleep(RESUME_WITHIN.toMillis());

                // per socket: the first frame of a post made after the kill, and the longest silence
                // between frames of the stream's posts across the kill (each post's first frame)
                List<Posted> afterKill = posted.stream().filter(p -> p.createdAtMillis() >= killedAt).toList();
                Map<Integer, Long> resumedAfterMs = new LinkedHashMap<>();
                Map<Integer, Long> longestGapMs = new LinkedHashMap<>();
                for (int i = 0; i < clients.size(); i++) {
                    LiveFeedClient client = clients.get(i);
                    long resumed = afterKill.stream().mapToLong(p -> client.arrivedAtMillis(p.id()))
                            .filter(t -> t >= 0).min().orElse(-1);
                    resumedAfterMs.put(i, resumed < 0 ? -1 : resumed - killedAt);
                    long[] arrivals = posted.stream().mapToLong(p -> client.arrivedAtMillis(p.id()))
                            .filter(t -> t >= 0).sorted().toArray();
                    long gap = 0;
                    for (int k = 1; k < arrivals.length; k++) {
                        if (arrivals[k] >= killStarted) {
                            gap = Math.max(gap, arrivals[k] - arrivals[k - 1]);
                        }
                    }
                    longestGapMs.put(i, arrivals.length == 0 ? -1 : gap);
                }
                System.out.printf("RabbitNodeLossSystemIT: node %d killed (the command took %d ms); %d posts (%d after"
                        + " the kill); ms from the kill to the first frame of a later post, per socket: %s; longest"
                        + " silence between frames across the kill, per socket: %s%n", killed, killedAt - killStarted,
                        posted.size(), afterKill.size(), resumedAfterMs.values(), longestGapMs.values());
                // a post takes tens of ms on a quiet machine, a second or two on a loaded one
                assertThat(afterKill).as("posts made after the kill").hasSizeGreaterThanOrEqualTo(5);
                assertThat(clients).as("every live-feed socket stayed open (no reconnect)")
                        .allSatisfy(c -> {
                            assertThat(c.isOpen()).isTrue();
                            assertThat(c.connections()).isEqualTo(1);
                        });
                assertThat(resumedAfterMs).as("ms from the kill to the first frame of a later post, per socket")
                        .allSatisfy((socket, ms) -> assertThat(ms).isBetween(0L, RESUME_WITHIN.toMillis()));
                assertThat(longestGapMs).as("longest silence between frames across the kill, per socket (ms)")
                        .allSatisfy((socket, ms) -> assertThat(ms).isBetween(0L, RESUME_WITHIN.toMillis()));

                // the feeds: every post, none lost
                List<String> ids = posted.stream().map(Posted::id).toList();
                long started = System.currentTimeMillis();
                await().atMost(FEEDS_COMPLETE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (Account follower : followers) {
                        assertThat(social.feedIds(follower)).as("feed of %s", follower.id()).containsAll(ids);
                    }
                });
                System.out.printf("RabbitNodeLossSystemIT: all %d posts in all %d feeds %d ms after the stream ended%n",
                        ids.size(), followers.size(), System.currentTimeMillis() - started);
            } finally {
                poster.shutdownNow();
                clients.forEach(LiveFeedClient::close);
            }
        } finally {
            if (killed > 0) {
                LocalCluster.socnet(300, "rabbitmq", "start", Integer.toString(killed));
            }
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
