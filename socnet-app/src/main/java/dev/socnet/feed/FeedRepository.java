package dev.socnet.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.socnet.db.Replica;
import dev.socnet.post.Post;

/**
 * The feed's SQL. The feed is a read model over the {@code friends} and {@code posts} tables of the
 * friend and post modules: its queries join both (per followee, the newest posts through
 * posts_author_created_idx), which no composition of the modules' Java APIs could do without one
 * query per followee. It also answers {@link CelebrityDirectory} (friends joined with celebrities).
 * It writes only its own tables, {@code celebrities} and {@code feed_homes}
 * (V13). The posts of fills of cached feeds and the feed served without Redis are read from the
 * {@link Replica} pool; everything that must see the latest commit (the follow graph of a fill
 * included) reads the primary.
 */
@Repository
class FeedRepository {

    /** What a feed is made of: the followed celebrities and the newest posts of everyone else followed. */
    record HomeSource(FeedHeader header, List<FeedEntry> entries) {
    }

    private static final RowMapper<FeedEntry> ENTRY = (rs, n) -> new FeedEntry(
            rs.getObject("id", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant().toEpochMilli());

    private final JdbcClient primary;
    private final JdbcClient replica;

    FeedRepository(JdbcClient primary, @Replica JdbcClient replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /**
     * One follow edge as the primary has it now.
     *
     * @param following whether the follower follows the followee
     * @param celebrity whether the followee is a celebrity
     */
    record FollowState(boolean following, boolean celebrity) {
    }

    /** See {@link FollowState}; one statement on the primary. Indexes: friends_pkey, celebrities_pkey. */
    FollowState followState(UUID followerId, UUID followeeId) {
        return primary.sql("""
                select exists (select 1 from friends where follower_id = :follower and followee_id = :followee) as following,
                       exists (select 1 from celebrities where user_id = :followee) as celebrity
                """)
                .param("follower", followerId).param("followee", followeeId)
                .query((rs, n) -> new FollowState(rs.getBoolean("following"), rs.getBoolean("celebrity")))
                .single();
    }

    /**
     * The followed celebrities and the newest {@code max} posts of the other followees. Whom the user
     * follows, and which of them are celebrities, is read from the primary (one snapshot, so a
     * crowning cannot slip between the two halves; and a follow or unfollow the user just made is
     * there, though a replica may not have replayed it yet: follow and unfollow leave a feed that is
     * not cached alone, so its next fill must see them). The posts are read from a replica; posts
     * committed too recently for it are added by the fill's catch-up (see {@link FeedManager}).
     * Indexes: friends_pkey (the user's followees), celebrities_pkey, and per followee
     * posts_author_created_idx read newest first and stopped after {@code max} entries.
     */
    HomeSource homeSource(UUID userId, int max) {
        List<UUID> celebrities = new ArrayList<>();
        List<UUID> others = new ArrayList<>();
        primary.sql("""
                select f.followee_id,
                       exists (select 1 from celebrities c where c.user_id = f.followee_id) as celebrity
                  from friends f
                 where f.follower_id = :user
                """)
                .param("user", userId)
                .query(rs -> {
                    (rs.getBoolean("celebrity") ? celebrities : others).add(rs.getObject("followee_id", UUID.class));
                });
        if (others.isEmpty()) {
            return new HomeSource(new FeedHeader(celebrities), List.of());
        }
        List<FeedEntry> entries = replica.sql("""
                select p.id, p.created_at
                  from unnest(cast(:followees as uuid[])) as fo(followee_id)
                  cross join lateral (
                        select id, created_at from posts
                         where author_id = fo.followee_id
                         order by created_at desc, id desc
                         limit :max) p
                 order by p.created_at desc, p.id desc
                 limit :max
                """)
                .param("followees", others.toArray(UUID[]::new)).param("max", max)
                .query(ENTRY).list();
        return new HomeSource(new FeedHeader(celebrities), entries);
    }

    /**
     * Posts created at or after {@code since} by the user's followees who are not celebrities, from
     * the primary: the catch-up after a fill (see {@link FeedManager}). Same indexes as
     * {@link #homeSource}, each followee's range starting at {@code since}.
     */
    List<FeedEntry> homeEntriesSince(UUID userId, Instant since, int max) {
        return primary.sql("""
                select p.id, p.created_at
                  from friends f
                  cross join lateral (
                        select id, created_at from posts
                         where author_id = f.followee_id and created_at >= :since
                         order by created_at desc, id desc
                         limit :max) p
                 where f.follower_id = :user
                   and not exists (select 1 from celebrities c where c.user_id = f.followee_id)
                """)
                .param("user", userId).param("since", utc(since)).param("max", max)
                .query(ENTRY).list();
    }

    /**
     * The newest {@code max} posts of one author, from a replica; with {@code since}, only those
     * created at or after it, from the primary (the catch-up of a fill, and the posts a follow merges
     * into or an unfollow removes from a cached feed). Index: posts_author_created_idx, one range
     * read newest first and stopped after {@code max} entries or at {@code since}.
     */
    List<FeedEntry> timeline(UUID authorId, int max, Instant since) {
        return (since == null ? replica : primary).sql("""
                select id, created_at from posts
                 where author_id = :author and created_at >= :since
                 order by created_at desc, id desc
                 limit :max
                """)
                .param("author", authorId).param("since", utc(since == null ? Instant.EPOCH : since))
                .param("max", max)
                .query(ENTRY).list();
    }

    /**
     * One page of a user's feed straight from PostgreSQL (a replica), used when Redis is
     * unavailable: the newest {@code window} posts of every followee (celebrities included),
     * merged newest first, then {@code offset}/{@code limit}; texts are read for the page only.
     * Indexes: friends_pkey, then posts_author_created_idx per followee (at most {@code window}
     * entries each), then posts_pkey for the page's rows.
     */
    List<Post> homePage(UUID userId, int offset, int limit, int window) {
        return replica.sql("""
                with page as (
                    select p.id, p.created_at
                      from friends f
                      cross join lateral (
                            select id, created_at from posts
                             where author_id = f.followee_id
                             order by created_at desc, id desc
                             limit :window) p
                     where f.follower_id = :user
                     order by p.created_at desc, p.id desc
                     offset :offset
                     limit :limit)
                select posts.id, posts.text, posts.author_id
                  from page join posts on posts.id = page.id
                 order by page.created_at desc, page.id desc
                """)
                .param("user", userId).param("window", window).param("offset", offset).param("limit", limit)
                .query((rs, n) -> new Post(rs.getObject("id", UUID.class), rs.getString("text"),
                        rs.getObject("author_id", UUID.class)))
                .list();
    }

    /** When {@code userId} was crowned a celebrity; empty when they are not one. Index: celebrities_pkey. */
    Optional<Instant> crownedAt(UUID userId) {
        return primary.sql("select crowned_at from celebrities where user_id = :user")
                .param("user", userId)
                .query((rs, n) -> rs.getObject("crowned_at", OffsetDateTime.class).toInstant())
                .optional();
    }

    /** See {@link CelebrityDirectory#celebritiesFollowedBy}; from the primary. */
    Map<UUID, Set<UUID>> celebritiesFollowedBy(Collection<UUID> followerIds) {
        Map<UUID, Set<UUID>> followed = new HashMap<>();
        if (followerIds.isEmpty()) {
            return followed;
        }
        primary.sql("""
                select f.follower_id, f.followee_id
                  from friends f join celebrities c on c.user_id = f.followee_id
                 where f.follower_id = any(:followers)
                """)
                .param("followers", followerIds.toArray(UUID[]::new))
                .query(rs -> {
                    followed.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashSet<>()).add(rs.getObject(2, UUID.class));
                });
        return followed;
    }

    /** Makes {@code userId} a celebrity from now on. @return false when they already were one */
    boolean crown(UUID userId) {
        return primary.sql("""
                insert into celebrities (user_id, crowned_at) values (:user, now())
                on conflict (user_id) do nothing
                """)
                .param("user", userId)
                .update() == 1;
    }

    /**
     * Crowns, in the caller's transaction, every user with more than {@code threshold} followers who is
     * not a celebrity yet (one aggregate over {@code friends}: a full scan, for bulk loads only).
     *
     * @return how many users were crowned
     */
    long crownAllWithMoreFollowersThan(long threshold) {
        return primary.sql("""
                insert into celebrities (user_id, crowned_at)
                select followee_id, now() from friends group by followee_id having count(*) > :threshold
                on conflict (user_id) do nothing
                """)
                .param("threshold", threshold)
                .update();
    }

    /** Empties {@code celebrities} and {@code feed_homes}, in the caller's transaction. */
    void truncateCelebritiesAndFilledFeeds() {
        primary.sql("truncate celebrities, feed_homes").update();
    }

    /** Records that the user's feed was just filled into Redis (what the startup warm-up reads). */
    void markFilled(UUID userId) {
        primary.sql("""
                insert into feed_homes (user_id, populated_at) values (:user, now())
                on conflict (user_id) do update set populated_at = excluded.populated_at
                """)
                .param("user", userId)
                .update();
    }

    /**
     * Users whose feed was filled within {@code within}, most recent first, at most {@code max}.
     * Index: feed_homes_populated_idx, read from its start and stopped after {@code max} rows.
     */
    List<UUID> recentlyFilled(Duration within, int max) {
        return replica.sql("""
                select user_id from feed_homes
                 where populated_at > now() - make_interval(secs => :seconds)
                 order by populated_at desc
                 limit :max
                """)
                .param("seconds", within.toSeconds()).param("max", max)
                .query(UUID.class).list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
