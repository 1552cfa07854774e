package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.socket.CloseStatus;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.socnet.feed.CelebrityDirectory;
import dev.socnet.feed.ThrowawayRabbit;
import dev.socnet.feed.ThrowawayRedis;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * One instance's live-feed connections: routing keys bound while someone here needs them (checked at
 * the broker: a message for the key reaches this instance's queue or not), presence, delivery to the
 * right connections once each, the per-user connection limit, pings, token expiry and dead peers.
 * RabbitMQ and Redis are real and the test's own ({@link ThrowawayRabbit}, {@link ThrowawayRedis}: loopback,
 * free ports; {@code rabbitmq-server} and {@code redis-server} installed, as {@code ./socnet up} does,
 * no cluster); who is a celebrity is a hand-written {@link CelebrityDirectory}; the clients are
 * {@link FakeWebSocketSession}s. Several instances and the fan-out: RealtimeIT (cluster).
 */
class LiveConnectionsTest {

    static final int MAX_CONNECTIONS = 2;
    static final Duration PONG_TIMEOUT = Duration.ofSeconds(50);

    @RegisterExtension
    static final ThrowawayRabbit rabbitServer = new ThrowawayRabbit();
    @RegisterExtension
    static final ThrowawayRedis redisServer = new ThrowawayRedis();

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Celebrities celebrities = new Celebrities();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final RealtimeProperties properties = properties();
    CachingConnectionFactory rabbitConnections;
    RabbitTemplate rabbit;
    RealtimeTopology topology;
    InstanceBindings bindings;
    OnlinePresence presence;
    LiveConnections connections;

    final UUID alice = UUID.randomUUID();
    final UUID bob = UUID.randomUUID();
    final UUID celebrity = UUID.randomUUID();

    @BeforeEach
    void oneInstance() {
        rabbitConnections = new CachingConnectionFactory("127.0.0.1", rabbitServer.port());
        rabbitConnections.setUsername(System.getenv().getOrDefault("SOCNET_RABBITMQ_USER", "socnet"));
        rabbitConnections.setPassword(System.getenv().getOrDefault("SOCNET_RABBITMQ_PASSWORD", "socnet-test"));
        rabbit = new RabbitTemplate(rabbitConnections);   // same connection: the instance queue is exclusive to it
        topology = RealtimeTopology.of(properties.amqp(), "jdbc:postgresql://127.0.0.1:1/livetest", UUID.randomUUID());
        bindings = new InstanceBindings(rabbitConnections, new RabbitAdmin(rabbitConnections), topology);
        presence = new OnlinePresence(new StringRedisTemplate(redisServer.connections()), topology, properties, clock);
        presence.heartbeat(Set.of());
        clock.advance(properties.presenceTtl());   // presence settled: no longer assumed after a rebuild
        presence.heartbeat(Set.of());
        connections = new LiveConnections(bindings, presence, celebrities, JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build(), clock, properties, meters);
    }

    @AfterEach
    void closeInstance() {
        connections.close();
        rabbitConnections.destroy();
    }

    @Test
    void aUsersFirstConnectionRoutesTheirPostsHereAndMarksThemOnline() {
        assertThat(reachesThisInstance(RealtimeTopology.followerKey(alice))).isFalse();

        open(alice);

        assertThat(reachesThisInstance(RealtimeTopology.followerKey(alice))).isTrue();
        assertThat(presence.onlineAmong(List.of(alice, bob)).users()).containsExactly(alice);
    }

    @Test
    void afterTheLastConnectionClosesTheUserIsOfflineAndTheirKeysAreUnbound() {
        celebrities.follow(alice, celebrity);
        LiveSession first = open(alice);
        LiveSession second = open(alice);

        connections.closed(first);
        assertThat(reachesThisInstance(RealtimeTopology.followerKey(alice))).isTrue();

        connections.closed(second);
        assertThat(reachesThisInstance(RealtimeTopology.followerKey(alice))).isFalse();
        assertThat(reachesThisInstance(RealtimeTopology.authorKey(celebrity))).isFalse();
        assertThat(bindings.boundKeys()).isZero();
        assertThat(presence.onlineAmong(List.of(alice)).users()).isEmpty();
    }

    @Test
    void aPostReachesEveryConnectionOfTheFollowerOnceWithTheContractsFrame() {
        FakeWebSocketSession phone = new FakeWebSocketSession();
        FakeWebSocketSession laptop = new FakeWebSocketSession();
        open(alice, phone);
        open(alice, laptop);
        open(bob);
        UUID postId = UUID.randomUUID();
        LiveUpdate post = LiveUpdate.posted(postId, "Привет!", bob);

        connections.deliver(RealtimeTopology.followerKey(alice), post);
        connections.deliver(RealtimeTopology.followerKey(alice), post);   // relayed twice

        String frame = "{\"postId\":\"" + postId + "\",\"postText\":\"Привет!\",\"author_user_id\":\"" + bob + "\"}";
        await().atMost(Duration.ofSeconds(5)).until(() -> phone.texts().size() == 1 && laptop.texts().size() == 1);
        assertThat(phone.texts()).containsExactly(frame);
        assertThat(laptop.texts()).containsExactly(frame);
        assertThat(meters.counter("socnet.realtime.frames.deduplicated").count()).isEqualTo(2);
    }

    @Test
    void aCelebritysPostReachesTheirConnectedFollowersOnly() {
        celebrities.follow(alice, celebrity);
        FakeWebSocketSession fan = new FakeWebSocketSession();
        FakeWebSocketSession other = new FakeWebSocketSession();
        open(alice, fan);
        open(bob, other);
        assertThat(reachesThisInstance(RealtimeTopology.authorKey(celebrity))).isTrue();

        connections.deliver(RealtimeTopology.authorKey(celebrity), LiveUpdate.posted(UUID.randomUUID(), "hi", celebrity));

        await().atMost(Duration.ofSeconds(5)).until(() -> fan.texts().size() == 1);
        assertThat(other.texts()).isEmpty();
    }

    @Test
    void aFollowOfACelebrityReroutesAnOpenConnectionAtOnce() {
        FakeWebSocketSession session = new FakeWebSocketSession();
        open(bob, session);
        assertThat(reachesThisInstance(RealtimeTopology.authorKey(celebrity))).isFalse();

        celebrities.follow(bob, celebrity);
        connections.deliver(RealtimeTopology.followerKey(bob), LiveUpdate.followsChanged());
        connections.deliver(RealtimeTopology.authorKey(celebrity), LiveUpdate.posted(UUID.randomUUID(), "hi", celebrity));

        assertThat(reachesThisInstance(RealtimeTopology.authorKey(celebrity))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> session.texts().size() == 1);
    }

    @Test
    void oneConnectionOverTheLimitClosesTheUsersOldest() {
        FakeWebSocketSession oldest = new FakeWebSocketSession();
        open(alice, oldest);
        FakeWebSocketSession next = new FakeWebSocketSession();
        open(alice, next);

        FakeWebSocketSession newest = new FakeWebSocketSession();
        open(alice, newest);

        assertThat(oldest.closeStatus()).isEqualTo(LiveConnections.tooManyConnections(MAX_CONNECTIONS));
        assertThat(oldest.closeStatus().getCode()).isEqualTo(1008);
        assertThat(next.closeStatus()).isNull();
        assertThat(newest.closeStatus()).isNull();
    }

    @Test
    void pingsGoToLiveConnectionsAndExpiredOrSilentOnesAreClosed() {
        FakeWebSocketSession live = new FakeWebSocketSession();
        FakeWebSocketSession silent = new FakeWebSocketSession();
        FakeWebSocketSession expiring = new FakeWebSocketSession();
        LiveSession liveSession = open(alice, live);
        open(bob, silent);
        open(UUID.randomUUID(), expiring, clock.millis() + 1000);

        clock.advance(PONG_TIMEOUT.plusSeconds(1));
        liveSession.heard(clock.millis());
        connections.pingAll();

        await().atMost(Duration.ofSeconds(5)).until(() -> live.pings() == 1
                && silent.closeStatus() != null && expiring.closeStatus() != null);
        assertThat(live.closeStatus()).isNull();
        assertThat(silent.closeStatus()).isEqualTo(CloseStatus.SESSION_NOT_RELIABLE);
        assertThat(expiring.closeStatus()).isEqualTo(LiveConnections.TOKEN_EXPIRED);
    }

    @Test
    void aStoppingInstanceClosesEveryConnectionAsGoingAway() {
        FakeWebSocketSession one = new FakeWebSocketSession();
        FakeWebSocketSession two = new FakeWebSocketSession();
        open(alice, one);
        open(bob, two);

        connections.closeAll();

        assertThat(one.closeStatus()).isEqualTo(CloseStatus.GOING_AWAY);
        assertThat(two.closeStatus()).isEqualTo(CloseStatus.GOING_AWAY);
    }

    private LiveSession open(UUID userId) {
        return open(userId, new FakeWebSocketSession());
    }

    private LiveSession open(UUID userId, FakeWebSocketSession socket) {
        return open(userId, socket, Long.MAX_VALUE);
    }

    private LiveSession open(UUID userId, FakeWebSocketSession socket, long tokenExpiresAtMillis) {
        LiveSession session = new LiveSession(userId, socket, properties, clock.millis(), tokenExpiresAtMillis);
        connections.opened(session);
        return session;
    }

    /** Whether a message published with this routing key lands in this instance's queue (taken off it again). */
    private boolean reachesThisInstance(String routingKey) {
        rabbit.convertAndSend(topology.exchange(), routingKey, "probe " + routingKey);
        Message received = rabbit.receive(topology.queue(), 1000);
        return received != null;
    }

    private static RealtimeProperties properties() {
        return new RealtimeProperties(Duration.ofSeconds(20), PONG_TIMEOUT, Duration.ofSeconds(5), 524_288,
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10), 1000, 128,
                Duration.ofSeconds(5), MAX_CONNECTIONS,
                new RealtimeProperties.Amqp("", 250, 10_000, 16_777_216, 10_000, Duration.ofMillis(500)));
    }

    /** Who follows which celebrity, as a test sets it. */
    static final class Celebrities implements CelebrityDirectory {

        private final Map<UUID, Set<UUID>> followed = new ConcurrentHashMap<>();

        void follow(UUID follower, UUID celebrity) {
            followed.computeIfAbsent(follower, k -> ConcurrentHashMap.newKeySet()).add(celebrity);
        }

        @Override
        public Map<UUID, Set<UUID>> celebritiesFollowedBy(Collection<UUID> followerIds) {
            Map<UUID, Set<UUID>> result = new HashMap<>();
            followerIds.forEach(id -> {
                if (followed.containsKey(id)) {
                    result.put(id, Set.copyOf(followed.get(id)));
                }
            });
            return result;
        }

        @Override
        public Optional<Instant> crownedAt(UUID authorId) {
            throw new UnsupportedOperationException("not asked by the connections");
        }

        @Override
        public boolean fansOutOnWrite(UUID authorId, Instant postCreatedAt) {
            throw new UnsupportedOperationException("not asked by the connections");
        }

        @Override
        public long crownAllPastThreshold() {
            throw new UnsupportedOperationException("a bulk load's");
        }

        @Override
        public void forgetAllCrowningsAndFilledFeeds() {
            throw new UnsupportedOperationException("a bulk load's");
        }
    }
}
