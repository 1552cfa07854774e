package dev.socnet.realtime;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.socnet.feed.CelebrityDirectory;

import tools.jackson.databind.json.JsonMapper;

/**
 * The live feed's connections on this instance and where their frames come from: {@code user.{id}} is
 * bound while a user has a connection here, {@code author.{id}} while a connected user follows that
 * celebrity; the user is online (Redis) meanwhile. Delivers each {@link LiveUpdate} to the connections
 * it is meant for, each send on its own virtual thread so that a slow client never holds up the others.
 *
 * <p>Changes for one follower (connect, disconnect, re-reading their celebrities) run under that
 * follower's lock, in the order bind → online, offline → unbind, so that a follower counted online
 * always has a bound key.
 */
class LiveConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveConnections.class);
    /** Stripes of the per-follower locks: enough that unrelated followers rarely wait for each other. */
    private static final int LOCK_STRIPES = 256;

    private final InstanceBindings bindings;
    private final OnlinePresence presence;
    private final CelebrityDirectory celebrityDirectory;
    private final JsonMapper json;
    private final Clock clock;
    private final RealtimeProperties properties;
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final Map<UUID, Set<LiveSession>> sessionsByFollower = new ConcurrentHashMap<>();
    private final Map<UUID, Set<UUID>> celebritiesByFollower = new ConcurrentHashMap<>();
    private final Map<UUID, Set<UUID>> followersByCelebrity = new ConcurrentHashMap<>();
    private final Counter framesSent;
    private final Counter framesDeduplicated;
    private final Counter overLimit;

    LiveConnections(InstanceBindings bindings, OnlinePresence presence, CelebrityDirectory celebrityDirectory,
            JsonMapper json, Clock clock, RealtimeProperties properties, MeterRegistry meters) {
        this.bindings = bindings;
        this.presence = presence;
        this.celebrityDirectory = celebrityDirectory;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        this.framesSent = Counter.builder("socnet.realtime.frames.sent")
                .description("post frames handed to live feed connections").register(meters);
        this.framesDeduplicated = Counter.builder("socnet.realtime.frames.deduplicated")
                .description("post frames not sent because the connection was sent that post lately (a post"
                        + " relayed twice, e.g. by an outbox resubmission, or routed both ways during the"
                        + " celebrity grace)").register(meters);
        this.overLimit = Counter.builder("socnet.realtime.connections.over.limit")
                .description("live feed connections closed because their user opened more than"
                        + " max-connections-per-user on this instance").register(meters);
        Gauge.builder("socnet.realtime.connections", sessionsByFollower,
                        m -> m.values().stream().mapToInt(Set::size).sum())
                .description("open live feed connections on this instance").register(meters);
        Gauge.builder("socnet.realtime.bindings", bindings, InstanceBindings::boundKeys)
                .description("routing keys bound to this instance's queue").register(meters);
    }

    /**
     * Close status of a connection closed because its user opened more than
     * {@code max-connections-per-user} here: 1008 (policy violation, RFC 6455 §7.4.1) with the reason.
     */
    static CloseStatus tooManyConnections(int max) {
        return CloseStatus.POLICY_VIOLATION.withReason("too many connections: at most " + max
                + " per user, the oldest is closed");
    }

    /**
     * A connection of {@code session.followerId()} opened: binds the follower's key and the keys of the
     * celebrities they follow (when it is their first connection here) and marks them online. When the
     * user now holds more than {@code max-connections-per-user} connections here, their oldest is
     * closed with {@link #tooManyConnections(int)}.
     *
     * @throws org.springframework.amqp.AmqpException      when RabbitMQ is unreachable (the caller closes
     *                                                     the connection; the client reconnects later)
     * @throws org.springframework.dao.DataAccessException when PostgreSQL is unreachable, likewise
     */
    void opened(LiveSession session) {
        UUID follower = session.followerId();
        List<LiveSession> surplus = new ArrayList<>();
        withLock(follower, () -> {
            Set<LiveSession> sessions = sessionsByFollower.computeIfAbsent(follower, k -> ConcurrentHashMap.newKeySet());
            boolean first = sessions.isEmpty();
            sessions.add(session);
            if (sessions.size() > properties.maxConnectionsPerUser()) {
                sessions.stream().sorted(Comparator.comparingLong(LiveSession::openedSequence))
                        .limit(sessions.size() - properties.maxConnectionsPerUser())
                        .forEach(surplus::add);
            }
            if (first) {
                try {
                    bindings.acquire(RealtimeTopology.followerKey(follower));
                    followCelebrities(follower, celebrityDirectory.celebritiesFollowedBy(List.of(follower))
                            .getOrDefault(follower, Set.of()));
                } catch (RuntimeException e) {
                    closedLocked(session);
                    throw e;
                }
                presence.arrived(follower);
            }
        });
        // outside the lock: closing calls back into closed(), and a close may wait on the socket
        for (LiveSession oldest : surplus) {
            overLimit.increment();
            log.info("live feed of {}: more than {} connections here, closing the oldest ({})", follower,
                    properties.maxConnectionsPerUser(), oldest.id());
            oldest.close(tooManyConnections(properties.maxConnectionsPerUser()));
        }
    }

    /** A connection closed: after the follower's last one here, offline and unbound. */
    void closed(LiveSession session) {
        withLock(session.followerId(), () -> closedLocked(session));
    }

    private void closedLocked(LiveSession session) {
        UUID follower = session.followerId();
        Set<LiveSession> sessions = sessionsByFollower.get(follower);
        if (sessions == null || !sessions.remove(session) || !sessions.isEmpty()) {
            return;
        }
        sessionsByFollower.remove(follower);
        presence.left(follower);
        followCelebrities(follower, Set.of());
        bindings.release(RealtimeTopology.followerKey(follower));
    }

    /**
     * Re-reads whom {@code followerId} follows among celebrities, when they are connected here (a follow
     * or unfollow just committed). No-op otherwise.
     */
    void refollow(UUID followerId) {
        if (!sessionsByFollower.containsKey(followerId)) {
            return;
        }
        Set<UUID> celebrities = celebrityDirectory.celebritiesFollowedBy(List.of(followerId))
                .getOrDefault(followerId, Set.of());
        withLock(followerId, () -> {
            if (sessionsByFollower.containsKey(followerId)) {
                followCelebrities(followerId, celebrities);
            }
        });
    }

    /** Re-reads the celebrities of every connected follower (picks up crownings). */
    void refollowAll() {
        List<UUID> connected = new ArrayList<>(sessionsByFollower.keySet());
        if (connected.isEmpty()) {
            return;
        }
        Map<UUID, Set<UUID>> celebrities = celebrityDirectory.celebritiesFollowedBy(connected);
        for (UUID follower : connected) {
            withLock(follower, () -> {
                if (sessionsByFollower.containsKey(follower)) {
                    followCelebrities(follower, celebrities.getOrDefault(follower, Set.of()));
                }
            });
        }
    }

    /** Binds the keys of newly followed celebrities and releases those no longer followed. Under the follower's lock. */
    private void followCelebrities(UUID follower, Set<UUID> celebrities) {
        Set<UUID> before = celebritiesByFollower.getOrDefault(follower, Set.of());
        for (UUID celebrity : celebrities) {
            if (!before.contains(celebrity)) {
                bindings.acquire(RealtimeTopology.authorKey(celebrity));
                followersByCelebrity.computeIfAbsent(celebrity, k -> ConcurrentHashMap.newKeySet()).add(follower);
            }
        }
        for (UUID celebrity : before) {
            if (!celebrities.contains(celebrity)) {
                followersByCelebrity.computeIfPresent(celebrity, (k, followers) -> {
                    followers.remove(follower);
                    return followers.isEmpty() ? null : followers;
                });
                bindings.release(RealtimeTopology.authorKey(celebrity));
            }
        }
        if (celebrities.isEmpty()) {
            celebritiesByFollower.remove(follower);
        } else {
            celebritiesByFollower.put(follower, Set.copyOf(celebrities));
        }
    }

    /**
     * A message from this instance's queue. {@code user.{id}}: a post for that follower's connections, or
     * their follows changed. {@code author.{id}}: a celebrity's post for the connections of their
     * followers here. Each connection gets a post at most once: a repeat of one of its last
     * {@code recent-posts-per-connection} posts is dropped and counted ({@code socnet.realtime.frames.deduplicated},
     * Prometheus {@code socnet_realtime_frames_deduplicated_total}).
     */
    void deliver(String routingKey, LiveUpdate update) {
        if (routingKey.startsWith(RealtimeTopology.USER_KEY_PREFIX)) {
            UUID follower = UUID.fromString(routingKey.substring(RealtimeTopology.USER_KEY_PREFIX.length()));
            switch (update.kind()) {
                case POSTED -> send(update, sessionsByFollower.getOrDefault(follower, Set.of()));
                case FOLLOWS_CHANGED -> refollow(follower);
            }
        } else if (routingKey.startsWith(RealtimeTopology.AUTHOR_KEY_PREFIX) && update.kind() == LiveUpdate.Kind.POSTED) {
            for (UUID follower : followersByCelebrity.getOrDefault(update.authorId(), Set.of())) {
                send(update, sessionsByFollower.getOrDefault(follower, Set.of()));
            }
        } else {
            log.warn("unexpected live update {} with routing key {}", update.kind(), routingKey);
        }
    }

    private void send(LiveUpdate update, Set<LiveSession> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        TextMessage frame = new TextMessage(json.writeValueAsString(update.frame()));
        for (LiveSession session : sessions) {
            if (session.firstDelivery(update.postId())) {
                framesSent.increment();
                sends.execute(() -> session.send(frame));
            } else {
                framesDeduplicated.increment();
            }
        }
    }

    /**
     * Close status of a connection whose token expired: 1008 (policy violation, RFC 6455 §7.4.1); the
     * client reconnects with a new token.
     */
    static final CloseStatus TOKEN_EXPIRED =
            CloseStatus.POLICY_VIOLATION.withReason("the token expired; reconnect with a new one (POST /login)");

    /**
     * Pings every connection, closes those whose token has expired ({@link #TOKEN_EXPIRED}; so a
     * connection outlives its token by one {@code ping-interval} at most), and those not heard from (no
     * pong, no frame) within {@code pong-timeout}: a peer that vanished without closing.
     */
    void pingAll() {
        long now = clock.millis();
        long timeoutMs = properties.pongTimeout().toMillis();
        PingMessage ping = new PingMessage();
        for (Set<LiveSession> sessions : sessionsByFollower.values()) {
            for (LiveSession session : sessions) {
                if (session.tokenExpired(now)) {
                    sends.execute(() -> session.close(TOKEN_EXPIRED));
                } else if (now - session.lastHeardMillis() > timeoutMs) {
                    sends.execute(() -> session.close(CloseStatus.SESSION_NOT_RELIABLE));
                } else {
                    sends.execute(() -> session.send(ping));
                }
            }
        }
    }

    /** Ids of the followers connected here now (a connection being registered included). */
    Set<UUID> connectedFollowers() {
        return new HashSet<>(sessionsByFollower.keySet());
    }

    /**
     * Whether a connection of {@code follower} is registered here: their routing keys bound and they are
     * marked online, so a post made from now on reaches them. Read under the follower's lock, which
     * {@link #opened} holds for the whole registration: unlike {@link #connectedFollowers()}, never true
     * half-way through it.
     */
    boolean registered(UUID follower) {
        boolean[] registered = {false};
        withLock(follower, () -> registered[0] = sessionsByFollower.containsKey(follower));
        return registered[0];
    }

    /**
     * Closes every connection with 1001 (going away): clients reconnect, through the balancer, elsewhere.
     * Called when the instance stops ({@code SmartLifecycle.stop}). The send executor stays usable: a
     * stopped context may be started again (Spring's lifecycle; the test framework pauses and resumes
     * cached contexts), and frames for new connections must then go out. It ends with the bean
     * ({@link #close()}).
     */
    void closeAll() {
        for (Set<LiveSession> sessions : sessionsByFollower.values()) {
            for (LiveSession session : sessions) {
                session.close(CloseStatus.GOING_AWAY);
            }
        }
    }

    /** Ends the send executor when the context is closed (Spring calls it as the bean's destroy method). */
    @Override
    public void close() {
        sends.shutdown();
    }

    private void withLock(UUID follower, Runnable change) {
        ReentrantLock lock = locks[Math.floorMod(follower.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }
}
