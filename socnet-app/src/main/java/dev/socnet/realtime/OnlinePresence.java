package dev.socnet.realtime;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Who is online anywhere, in Redis: each app instance keeps a set of the users connected to it,
 * {@code <prefix>online:<instance id>}, that expires {@code presence-ttl} after its last heartbeat, and
 * lists itself in the sorted set {@code <prefix>instances} scored by that expiry (ms since the epoch).
 * An instance that dies stops counting once its TTL passes; until then the fan-out's messages to its
 * users find no queue, and the fan-out retries them until presence no longer lists those users.
 *
 * <p>When Redis is unavailable the fan-out treats every follower as online: delivery does not depend
 * on Redis, it only costs more messages. The same holds while presence is still being rebuilt: Redis
 * keeps no data across a restart, and an instance writes its users back only at its next heartbeat.
 * The first heartbeat after such a loss writes {@code <prefix>presence-since} (no expiry); for one
 * {@code presence-ttl} after that time, by which every live instance has heartbeated at least twice,
 * every follower counts as online.
 */
class OnlinePresence {

    private static final Logger log = LoggerFactory.getLogger(OnlinePresence.class);

    private final StringRedisTemplate redis;
    private final RealtimeTopology topology;
    private final RealtimeProperties properties;
    private final Clock clock;

    OnlinePresence(StringRedisTemplate redis, RealtimeTopology topology, RealtimeProperties properties, Clock clock) {
        this.redis = redis;
        this.topology = topology;
        this.properties = properties;
        this.clock = clock;
    }

    /** Marks {@code userId} online at this instance. Redis down: logged, the next heartbeat adds it. */
    void arrived(UUID userId) {
        try {
            redis.opsForSet().add(ownKey(), userId.toString());
        } catch (DataAccessException e) {
            log.warn("presence of {} not recorded, Redis unavailable: {}", userId, e.getMessage());
        }
    }

    /** {@code userId}'s last connection here closed. Redis down: logged; the entry expires with the set. */
    void left(UUID userId) {
        try {
            redis.opsForSet().remove(ownKey(), userId.toString());
        } catch (DataAccessException e) {
            log.warn("presence of {} not removed, Redis unavailable: {}", userId, e.getMessage());
        }
    }

    /**
     * Refreshes this instance's entry: re-adds every connected user (covers a Redis restart) and
     * extends the set's and the instance's expiry by {@code presence-ttl}. One pipeline.
     */
    void heartbeat(Collection<UUID> connected) {
        long ttlMs = properties.presenceTtl().toMillis();
        long now = clock.millis();
        byte[] own = utf8(ownKey());
        byte[] instances = utf8(instancesKey());
        byte[] since = utf8(sinceKey());
        byte[][] members = connected.stream().map(id -> utf8(id.toString())).toArray(byte[][]::new);
        try {
            redis.executePipelined((RedisCallback<Object>) connection -> {
                if (members.length > 0) {
                    connection.setCommands().sAdd(own, members);
                }
                connection.keyCommands().pExpire(own, ttlMs);
                connection.zSetCommands().zAdd(instances, now + ttlMs, utf8(topology.instanceId().toString()));
                connection.zSetCommands().zRemRangeByScore(instances, Double.NEGATIVE_INFINITY, now);
                connection.stringCommands().set(since, utf8(Long.toString(now)), Expiration.persistent(),
                        SetOption.ifAbsent());
                return null;
            });
        } catch (DataAccessException e) {
            log.warn("presence heartbeat failed, Redis unavailable: {}", e.getMessage());
        }
    }

    /** This instance is stopping: its users are no longer online here. */
    void leaveAll() {
        try {
            redis.delete(ownKey());
            redis.opsForZSet().remove(instancesKey(), topology.instanceId().toString());
        } catch (DataAccessException e) {
            log.warn("presence of the stopping instance not removed: {}", e.getMessage());
        }
    }

    /**
     * Users the fan-out publishes to.
     *
     * @param users   the users, a subset of the ones asked about
     * @param assumed true when presence could not be read (Redis unavailable, or presence being
     *                rebuilt) and every user asked about was taken as online: many of them have no
     *                connection, so a message to them finding no queue is expected, not a loss
     */
    record Online(Set<UUID> users, boolean assumed) {
    }

    /**
     * The users among {@code userIds} connected to any live instance: one SMISMEMBER per live instance.
     *
     * @return a subset of {@code userIds}; all of them, {@linkplain Online#assumed() assumed}, when
     *         Redis is unavailable and while presence is being rebuilt (see the class comment)
     */
    Online onlineAmong(List<UUID> userIds) {
        Set<UUID> online = new HashSet<>();
        try {
            String since = redis.opsForValue().get(sinceKey());
            if (since == null || clock.millis() - Long.parseLong(since) < properties.presenceTtl().toMillis()) {
                log.debug("presence is being rebuilt (since {}); treating {} followers as online", since, userIds.size());
                return new Online(new HashSet<>(userIds), true);
            }
            Set<String> instances = redis.opsForZSet().rangeByScore(instancesKey(), clock.millis(), Double.POSITIVE_INFINITY);
            Object[] members = userIds.stream().map(UUID::toString).toArray();
            for (String instance : instances == null ? Set.<String>of() : instances) {
                Map<Object, Boolean> found = redis.opsForSet().isMember(topology.redisPrefix() + "online:" + instance, members);
                if (found != null) {
                    found.forEach((member, isMember) -> {
                        if (Boolean.TRUE.equals(isMember)) {
                            online.add(UUID.fromString((String) member));
                        }
                    });
                }
            }
            return new Online(online, false);
        } catch (DataAccessException e) {
            log.warn("presence unknown, Redis unavailable; treating {} followers as online: {}", userIds.size(),
                    e.getMessage());
            return new Online(new HashSet<>(userIds), true);
        }
    }

    private String ownKey() {
        return topology.redisPrefix() + "online:" + topology.instanceId();
    }

    /** When the presence now in Redis started to be written (ms since the epoch): absent after Redis lost it. */
    private String sinceKey() {
        return topology.redisPrefix() + "presence-since";
    }

    private String instancesKey() {
        return topology.redisPrefix() + "instances";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
