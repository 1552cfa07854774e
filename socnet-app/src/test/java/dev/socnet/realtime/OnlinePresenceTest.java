package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.socnet.feed.ThrowawayRedis;

/**
 * Who the live fan-out counts as online, against a real redis-server of the test's own
 * ({@link ThrowawayRedis}: loopback, free port, no persistence; needs {@code redis-server} installed,
 * as {@code ./socnet up} does, but no cluster). Two app instances share one Redis, as in production;
 * their clocks are the test's, so an instance's expiry is reached without waiting.
 */
class OnlinePresenceTest {

    static final Duration TTL = Duration.ofSeconds(30);

    @RegisterExtension
    static final ThrowawayRedis redisServer = new ThrowawayRedis();

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final String prefix = "socnet:realtime:test-" + UUID.randomUUID() + ":";
    OnlinePresence first;
    OnlinePresence second;
    final UUID alice = UUID.randomUUID();
    final UUID bob = UUID.randomUUID();
    final UUID carol = UUID.randomUUID();

    @BeforeEach
    void twoInstances() {
        first = instance();
        second = instance();
    }

    @AfterEach
    void restartRedisIfStopped() {
        if (!redisServer.running()) {
            restartRedis();
        }
    }

    @Test
    void usersConnectedToAnyLiveInstanceAreOnlineAndNoOneElse() {
        settled();
        first.arrived(alice);
        second.arrived(bob);

        OnlinePresence.Online online = first.onlineAmong(List.of(alice, bob, carol));

        assertThat(online.users()).containsExactlyInAnyOrder(alice, bob);
        assertThat(online.assumed()).isFalse();
    }

    @Test
    void aUserWhoseLastConnectionClosedIsOffline() {
        settled();
        first.arrived(alice);
        first.left(alice);

        assertThat(second.onlineAmong(List.of(alice)).users()).isEmpty();
    }

    @Test
    void anInstanceThatStopsHeartbeatingStopsCountingAfterThePresenceTtl() {
        settled();
        first.arrived(alice);
        second.arrived(bob);
        clock.advance(TTL.minusSeconds(5));
        second.heartbeat(Set.of(bob));   // the first instance has died: no heartbeat
        clock.advance(Duration.ofSeconds(10));

        assertThat(second.onlineAmong(List.of(alice, bob)).users()).containsExactly(bob);
    }

    @Test
    void aStoppingInstanceTakesItsUsersOfflineAtOnce() {
        settled();
        first.arrived(alice);
        second.arrived(bob);

        first.leaveAll();

        assertThat(second.onlineAmong(List.of(alice, bob)).users()).containsExactly(bob);
    }

    @Test
    void whilePresenceIsBeingRebuiltEveryoneCountsAsOnline() {
        first.heartbeat(Set.of(alice));   // the first heartbeat after an empty Redis starts the rebuild

        OnlinePresence.Online online = first.onlineAmong(List.of(alice, bob));

        assertThat(online.users()).containsExactlyInAnyOrder(alice, bob);
        assertThat(online.assumed()).isTrue();

        clock.advance(TTL);
        assertThat(first.onlineAmong(List.of(alice, bob))).isEqualTo(new OnlinePresence.Online(Set.of(alice), false));
    }

    @Test
    void afterRedisLostItsDataTheHeartbeatsWriteTheConnectedUsersBack() {
        settled();
        first.arrived(alice);
        redisServer.stop();
        restartRedis();   // no persistence: presence is gone

        assertThat(first.onlineAmong(List.of(alice, bob)).assumed()).isTrue();
        first.heartbeat(Set.of(alice));
        second.heartbeat(Set.of());
        clock.advance(TTL);
        first.heartbeat(Set.of(alice));
        second.heartbeat(Set.of());

        assertThat(second.onlineAmong(List.of(alice, bob))).isEqualTo(new OnlinePresence.Online(Set.of(alice), false));
    }

    @Test
    void withRedisDownEveryoneCountsAsOnlineAndNothingFails() {
        settled();
        first.arrived(alice);
        redisServer.stop();

        first.arrived(bob);
        first.left(alice);
        first.heartbeat(Set.of(bob));
        first.leaveAll();
        OnlinePresence.Online online = second.onlineAmong(List.of(alice, bob, carol));

        assertThat(online.users()).containsExactlyInAnyOrder(alice, bob, carol);
        assertThat(online.assumed()).isTrue();
    }

    /** Starts Redis (again) and waits until the client has reconnected. */
    private static void restartRedis() {
        redisServer.stop();
        redisServer.start();
        StringRedisTemplate redis = new StringRedisTemplate(redisServer.connections());
        Awaitility.await("the client reconnects to Redis").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> "PONG".equals(redis.execute(RedisConnection::ping)));
    }

    /** Both instances heartbeated, and longer than one TTL ago: presence is what the instances wrote. */
    private void settled() {
        first.heartbeat(Set.of());
        second.heartbeat(Set.of());
        clock.advance(TTL);
        first.heartbeat(Set.of());
        second.heartbeat(Set.of());
    }

    private OnlinePresence instance() {
        RealtimeTopology topology = new RealtimeTopology("socnet.realtime.test", "socnet.realtime.test.q",
                "socnet.realtime.test.dead-letters", prefix, UUID.randomUUID(), null);
        return new OnlinePresence(new StringRedisTemplate(redisServer.connections()), topology, properties(), clock);
    }

    static RealtimeProperties properties() {
        return new RealtimeProperties(Duration.ofSeconds(20), Duration.ofSeconds(50), Duration.ofSeconds(5),
                524_288, TTL, Duration.ofSeconds(10), Duration.ofSeconds(10), 1000, 128, Duration.ofSeconds(5), 5,
                new RealtimeProperties.Amqp("", 250, 10_000, 16_777_216, 10_000, Duration.ofMillis(500)));
    }
}
