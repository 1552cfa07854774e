package dev.socnet.realtime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which celebrities connected users follow, and when an author was crowned. Read-only SQL over the
 * follow graph's {@code friends} table and the feed's {@code celebrities} table (V10, V13), on the
 * primary so a follow is seen at once: neither module offers "followees of a user" or "is a
 * celebrity" in its API yet, and the live feed must route a celebrity exactly as the feed decides.
 */
class CelebrityFollows {

    private final JdbcClient jdbc;

    CelebrityFollows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** When {@code authorId} was crowned a celebrity (UTC), or empty for an ordinary author. Index: celebrities_pkey. */
    Optional<Instant> crownedAt(UUID authorId) {
        return jdbc.sql("select crowned_at from celebrities where user_id = :author")
                .param("author", authorId)
                .query((rs, n) -> rs.getObject("crowned_at", OffsetDateTime.class).toInstant())
                .optional();
    }

    /**
     * The celebrities each of {@code followerIds} follows.
     * Index: friends_pkey (follower_id, followee_id) — one range scan per follower — and celebrities_pkey.
     *
     * @param followerIds at most a few tens of thousands of user ids
     * @return follower id → followed celebrities' ids; followers who follow none are absent
     */
    Map<UUID, Set<UUID>> celebritiesFollowedBy(Collection<UUID> followerIds) {
        Map<UUID, Set<UUID>> followees = new HashMap<>();
        if (followerIds.isEmpty()) {
            return followees;
        }
        jdbc.sql("""
                select f.follower_id, f.followee_id
                  from friends f join celebrities c on c.user_id = f.followee_id
                 where f.follower_id = any(:followers)
                """)
                .param("followers", followerIds.toArray(UUID[]::new))
                .query((rs, n) -> followees.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashSet<>())
                        .add(rs.getObject(2, UUID.class)))
                .list();
        return followees;
    }
}
