package dev.socnet.feed;

/**
 * Lua scripts run atomically inside Redis on cached feeds and timelines (see {@link FeedKeys}).
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

    /**
     * Add a celebrity to, or remove one from, the header of a cached feed (a follow or unfollow of
     * a celebrity; see {@link FeedHeader}). KEYS[1] feed key; ARGV[1] the celebrity's id; ARGV[2]
     * {@code 1} to add, {@code 0} to remove. Does nothing to a feed that is not cached. The new
     * header is added before the old one is removed, so the sorted set is never empty in between
     * (Redis would delete the key, and its time to live with it). Returns 1 when the feed was
     * cached, else 0.
     */
    static final String EDIT_HEADER = """
            local header = redis.call('ZREVRANGE', KEYS[1], 0, 0)[1]
            if header == nil or string.sub(header, 1, 1) ~= '~' then
              return 0
            end
            local ids = {}
            for id in string.gmatch(string.sub(header, 2), '[^,]+') do
              if id ~= ARGV[1] then
                ids[#ids + 1] = id
              end
            end
            if ARGV[2] == '1' then
              ids[#ids + 1] = ARGV[1]
            end
            local edited = '~' .. table.concat(ids, ',')
            if edited ~= header then
              redis.call('ZADD', KEYS[1], 'inf', edited)
              redis.call('ZREM', KEYS[1], header)
            end
            return 1
            """;

    /**
     * Read one page of a cached feed in one round trip: the feed, the cached timelines of the
     * celebrities its header lists, a newest-first merge of them, and the cached bodies of the page's
     * posts. KEYS[1] feed key; ARGV[1] offset; ARGV[2] wanted (offset + limit, at most max entries);
     * ARGV[3] timeline key prefix; ARGV[4] post key prefix (both from {@link FeedKeys}).
     *
     * <p>A feed of a user who follows no celebrity is read as the window itself. Otherwise each
     * source is already newest first (a reverse range: score, then member, descending), so the merge
     * is a k-way merge that stops after {@code wanted} distinct posts, not a sort. Each source is read
     * in chunks of {@code max(limit, ceil(wanted / sources))} entries as the merge consumes it, so a
     * deep page reads about {@code wanted} entries in all plus at most one chunk per source, rather
     * than {@code wanted} from every source. Order: score descending, ties by member descending (byte order of the lower-case UUID,
     * that is the ids as unsigned 128-bit numbers), the order of PostgreSQL's
     * {@code order by created_at desc, id desc}. A post both pushed and on a timeline (pushed during
     * a crowning's grace period) is shown once.
     *
     * <p>Returns {@code {0}} when the feed is not cached; {@code {1, celebrity id, ...}} when it is
     * but these celebrities' timelines are not; else {@code {2, header, post id, body, post id,
     * body, ...}} for the page's posts, newest first, with {@code ""} for a body not in the post cache.
     *
     * <p>The script reads keys it derives (timelines from the header, post bodies from the ids)
     * rather than keys passed in KEYS: correct on one Redis primary, which is how socnet deploys
     * Redis, but not on Redis Cluster, where every key a script touches must be declared and in one
     * hash slot (docs/decisions/0007).
     */
    static final String READ_PAGE = """
            local offset = tonumber(ARGV[1])
            local wanted = tonumber(ARGV[2])
            local header = redis.call('ZREVRANGE', KEYS[1], 0, 0)[1]
            if header == nil or string.sub(header, 1, 1) ~= '~' then
              return {0}
            end
            local page = {2, header}
            if header == '~' then
              -- the user follows no celebrity: the window itself; rank 0 is the header
              for _, member in ipairs(redis.call('ZREVRANGE', KEYS[1], offset + 1, wanted)) do
                page[#page + 1] = member
                page[#page + 1] = redis.call('GET', ARGV[4] .. member) or ''
              end
              return page
            end
            local sources = {KEYS[1]}
            local missing = {1}
            for celebrity in string.gmatch(string.sub(header, 2), '[^,]+') do
              local key = ARGV[3] .. celebrity
              local first = redis.call('ZREVRANGE', key, 0, 0)[1]
              if first == nil or string.sub(first, 1, 1) ~= '~' then
                missing[#missing + 1] = celebrity
              else
                sources[#sources + 1] = key
              end
            end
            if #missing > 1 then
              return missing
            end
            -- each source is read in chunks as the merge consumes it (members and numeric scores)
            local chunk = math.max(wanted - offset, math.ceil(wanted / #sources))
            local members, scores, heads, ranks, ended = {}, {}, {}, {}, {}
            local function refill(i)
              local range = redis.call('ZREVRANGE', sources[i], ranks[i], ranks[i] + chunk - 1, 'WITHSCORES')
              local m, sc = {}, {}
              for j = 1, #range, 2 do
                m[#m + 1] = range[j]
                sc[#sc + 1] = tonumber(range[j + 1])
              end
              members[i], scores[i], heads[i] = m, sc, 1
              ranks[i] = ranks[i] + #m
              ended[i] = #m < chunk
            end
            for i = 1, #sources do
              ranks[i] = 1 -- rank 0 is the header
              refill(i)
            end
            local seen = {}
            local taken = 0
            while taken < wanted do
              local best, bestScore, bestMember
              for i = 1, #sources do
                if members[i][heads[i]] == nil and not ended[i] then
                  refill(i)
                end
                local head = heads[i]
                local member = members[i][head]
                if member ~= nil then
                  local score = scores[i][head]
                  if best == nil or score > bestScore or (score == bestScore and member > bestMember) then
                    best, bestScore, bestMember = i, score, member
                  end
                end
              end
              if best == nil then
                break
              end
              heads[best] = heads[best] + 1
              if not seen[bestMember] then
                seen[bestMember] = true
                taken = taken + 1
                if taken > offset then
                  page[#page + 1] = bestMember
                  page[#page + 1] = redis.call('GET', ARGV[4] .. bestMember) or ''
                end
              end
            end
            return page
            """;

    private FeedScripts() {
    }
}
