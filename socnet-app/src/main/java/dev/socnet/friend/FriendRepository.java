package dev.socnet.friend;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL over the {@code friends} table (schema: V10 migration), on the primary. */
@Repository
class FriendRepository {

    private final JdbcClient jdbc;

    FriendRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true when the row is new, false when the follower already followed */
    boolean insert(UUID followerId, UUID followeeId) {
        return jdbc.sql("""
                insert into friends (follower_id, followee_id) values (:follower, :followee)
                on conflict (follower_id, followee_id) do nothing
                """)
                .param("follower", followerId).param("followee", followeeId)
                .update() == 1;
    }

    /** @return true when there was a row to delete */
    boolean delete(UUID followerId, UUID followeeId) {
        return jdbc.sql("delete from friends where follower_id = :follower and followee_id = :followee")
                .param("follower", followerId).param("followee", followeeId)
                .update() == 1;
    }

    /**
     * Up to {@code limit} followers of {@code followeeId} with ids greater than {@code after}, in id
     * order. Index: friends_followee_follower_idx (followee_id, follower_id) — a range scan that
     * starts right after the previous batch.
     */
    List<UUID> followersAfter(UUID followeeId, UUID after, int limit) {
        return jdbc.sql("""
                select follower_id from friends
                 where followee_id = :followee and follower_id > :after
                 order by follower_id
                 limit :limit
                """)
                .param("followee", followeeId).param("after", after).param("limit", limit)
                .query(UUID.class).list();
    }

    /**
     * {@code min(count of followers, cap)}: the inner LIMIT stops the index-only scan of
     * friends_followee_follower_idx after {@code cap} entries.
     */
    long countFollowers(UUID followeeId, long cap) {
        return jdbc.sql("""
                select count(*) from (select 1 from friends where followee_id = :followee limit :cap) capped
                """)
                .param("followee", followeeId).param("cap", cap)
                .query(Long.class).single();
    }
}
