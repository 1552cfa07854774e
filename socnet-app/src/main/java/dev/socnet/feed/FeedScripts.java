package dev.socnet.feed;

/**
 * Lua scripts run atomically inside Redis on one cached feed or timeline (see {@link FeedKeys}).
 * A cached sorted set holds the header (score +inf, see {@link FeedHeader}) and at most
 * {@code max} entries.
 */
final class FeedScripts {

    /**
     * Push one post into a cached feed, then trim it. KEYS[1] feed key; ARGV[1] score (creation
     * time, ms); ARGV[2] post id; ARGV[3] max entries. Adds nothing to a feed that is not cached:
     * pushes must not build partial feeds of users who do not read them (Mastodon fans out only to
     * active users for the same reason); a feed that is not cached is filled whole on its next read.
     * Idempotent: the post id is the member, so a redelivered push changes nothing. Returns 1 when
     * the feed was cached, else 0.
     */
    static final String PUSH = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 2))
            return 1
            """;

    /**
     * Replace a cached feed whole. KEYS[1] feed key; ARGV[1] time to live, ms; ARGV[2] header member;
     * ARGV[3], ARGV[4], ... score and post id pairs (already at most max entries). Readers see the
     * old feed or the new one, never a half-filled one. Returns the number of entries.
     */
    static final String REPLACE = """
            redis.call('DEL', KEYS[1])
            redis.call('ZADD', KEYS[1], 'inf', ARGV[2])
            for i = 3, #ARGV, 2 do
              redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return (#ARGV - 2) / 2
            """;

    private FeedScripts() {
    }
}
