package dev.socnet.feed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.stereotype.Component;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import dev.socnet.post.Post;
import tools.jackson.databind.json.JsonMapper;

/**
 * The feed's Redis commands: cached feeds and timelines (sorted sets, see {@link FeedKeys}) and the
 * post cache. A page is read in one round trip by a script ({@link #page}); commands over many keys
 * are sent together on the shared connection and awaited together (one round trip, see
 * {@link #batch}). Every Redis failure surfaces as {@link CacheUnavailableException}.
 */
@Component
class FeedCache {

    /** What a page read ({@link #page}) found in Redis. */
    sealed interface PageRead {
    }

    /** The user's feed is not cached. */
    record HomeMissing() implements PageRead {
    }

    /** The feed is cached, but these followed celebrities' timelines are not. */
    record TimelinesMissing(List<UUID> celebrities) implements PageRead {
    }

    /**
     * A page of a cached feed.
     *
     * @param header the feed's header (the celebrities whose timelines were merged)
     * @param ids    the page's post ids, newest first
     * @param posts  the bodies of those of them that are in the post cache
     */
    record Page(FeedHeader header, List<UUID> ids, Map<UUID, Post> posts) implements PageRead {
    }

    /**
     * How much a cached feed holds.
     *
     * @param entries      posts in it (its header not counted), at most {@code socnet.feed.max-items}
     * @param oldestMillis creation time of its oldest post, ms since the epoch; 0 when it holds none
     */
    record Window(long entries, long oldestMillis) {
    }

    /** Commands per batch that get one {@code spring.data.redis.timeout} to complete. */
    static final int COMMANDS_PER_TIMEOUT = 1000;

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final FeedProperties properties;
    private final Duration commandTimeout;
    private final DefaultRedisScript<Long> push = new DefaultRedisScript<>(FeedScripts.PUSH, Long.class);
    private final DefaultRedisScript<Long> editHeader = new DefaultRedisScript<>(FeedScripts.EDIT_HEADER, Long.class);
    private final DefaultRedisScript<Long> replace = new DefaultRedisScript<>(FeedScripts.REPLACE, Long.class);
    @SuppressWarnings("rawtypes")
    private final DefaultRedisScript<List> readPage = new DefaultRedisScript<>(FeedScripts.READ_PAGE, List.class);

    FeedCache(StringRedisTemplate redis, JsonMapper json, FeedProperties properties,
            @Value("${spring.data.redis.timeout:500ms}") Duration commandTimeout) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        this.commandTimeout = commandTimeout;
    }

    /**
     * One page of a user's cached feed, merged with the followed celebrities' cached timelines, with
     * the bodies the post cache holds: one round trip ({@link FeedScripts#READ_PAGE}).
     *
     * @param offset posts to skip, at least 0
     * @param wanted offset + limit, at most {@code socnet.feed.max-items}
     * @throws CacheUnavailableException when Redis is unavailable
     */
    PageRead page(UUID userId, int offset, int wanted) {
        List<?> reply = call(() -> redis.execute(readPage, List.of(FeedKeys.home(userId)),
                Integer.toString(offset), Integer.toString(wanted), FeedKeys.timelinePrefix(), FeedKeys.postPrefix()));
        long status = (Long) reply.get(0);
        if (status == 0) {
            return new HomeMissing();
        }
        if (status == 1) {
            return new TimelinesMissing(reply.subList(1, reply.size()).stream()
                    .map(id -> UUID.fromString((String) id)).toList());
        }
        FeedHeader header = FeedHeader.parse((String) reply.get(1));
        List<UUID> ids = new ArrayList<>((reply.size() - 2) / 2);
        Map<UUID, Post> posts = new HashMap<>();
        for (int i = 2; i < reply.size(); i += 2) {
            UUID id = UUID.fromString((String) reply.get(i));
            ids.add(id);
            String body = (String) reply.get(i + 1);
            if (!body.isEmpty()) {
                posts.put(id, json.readValue(body, Post.class));
            }
        }
        return new Page(header, ids, posts);
    }

    boolean hasHome(UUID userId) {
        return Boolean.TRUE.equals(call(() -> redis.hasKey(FeedKeys.home(userId))));
    }

    /**
     * The size and oldest post of a user's cached feed, in one round trip (ZCARD and the lowest
     * entry; not atomic: a push in between only makes the window look older than it is).
     *
     * @return empty when the feed is not cached
     * @throws CacheUnavailableException when Redis is unavailable
     */
    Optional<Window> window(UUID userId) {
        byte[] key = bytes(FeedKeys.home(userId));
        List<Object> replies = batch(2, commands -> List.of(commands.zcard(key), commands.zrangeWithScores(key, 0, 0)));
        long members = (Long) replies.get(0);
        if (members == 0) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        var lowest = (List<ScoredValue<byte[]>>) replies.get(1);
        return Optional.of(members == 1 ? new Window(0, 0)
                : new Window(members - 1, (long) lowest.getFirst().getScore()));
    }

    /**
     * Adds {@code celebrityId} to the celebrities the header of a user's cached feed lists
     * ({@code follows} true) or removes it ({@code follows} false). Does nothing to a feed that is
     * not cached.
     *
     * @throws CacheUnavailableException when Redis is unavailable
     */
    void editHeader(UUID userId, UUID celebrityId, boolean follows) {
        call(() -> redis.execute(editHeader, List.of(FeedKeys.home(userId)), celebrityId.toString(), follows ? "1" : "0"));
    }

    /** Removes posts from one user's cached feed (nothing when it is not cached). */
    void removeFromHome(UUID userId, Collection<UUID> postIds) {
        if (postIds.isEmpty()) {
            return;
        }
        call(() -> redis.opsForZSet().remove(FeedKeys.home(userId), postIds.stream().map(UUID::toString).toArray()));
    }

    /** Replaces a user's cached feed whole; it expires after {@code socnet.feed.home-ttl}. */
    void fillHome(UUID userId, FeedHeader header, List<FeedEntry> entries) {
        fill(FeedKeys.home(userId), header, entries);
    }

    /** Replaces a celebrity's cached timeline whole; it expires after {@code socnet.feed.home-ttl}. */
    void fillTimeline(UUID authorId, List<FeedEntry> entries) {
        fill(FeedKeys.timeline(authorId), FeedHeader.NONE, entries);
    }

    /** Pushes one post into the cached feeds of {@code userIds} (uncached feeds are skipped). */
    void pushToHomes(Collection<UUID> userIds, FeedEntry entry) {
        pushAll(userIds.stream().map(FeedKeys::home).toList(), List.of(entry));
    }

    /** Pushes posts into one user's cached feed (skipped when it is not cached). */
    void pushToHome(UUID userId, Collection<FeedEntry> entries) {
        pushAll(List.of(FeedKeys.home(userId)), entries);
    }

    /** Pushes posts into a celebrity's cached timeline (skipped when it is not cached). */
    void pushToTimeline(UUID authorId, Collection<FeedEntry> entries) {
        pushAll(List.of(FeedKeys.timeline(authorId)), entries);
    }

    /** Removes one post from the cached feeds of {@code userIds}. */
    void removeFromHomes(Collection<UUID> userIds, UUID postId) {
        byte[] member = bytes(postId.toString());
        batch(userIds.size(), commands -> userIds.stream().map(user -> commands.zrem(bytes(FeedKeys.home(user)), member)).toList());
    }

    /** Removes posts from a user's cached feed and from the given timelines. */
    void remove(UUID userId, Collection<UUID> timelineAuthorIds, Collection<UUID> postIds) {
        byte[][] members = postIds.stream().map(id -> bytes(id.toString())).toArray(byte[][]::new);
        List<String> keys = new ArrayList<>();
        keys.add(FeedKeys.home(userId));
        timelineAuthorIds.forEach(author -> keys.add(FeedKeys.timeline(author)));
        batch(keys.size(), commands -> keys.stream().map(key -> commands.zrem(bytes(key), members)).toList());
    }

    void removeFromTimeline(UUID authorId, UUID postId) {
        call(() -> redis.opsForZSet().remove(FeedKeys.timeline(authorId), postId.toString()));
    }

    /** Forgets the cached feeds of {@code userIds}; each is filled again on its owner's next read. */
    void dropHomes(Collection<UUID> userIds) {
        call(() -> redis.delete(userIds.stream().map(FeedKeys::home).toList()));
    }

    /** Caches post bodies for {@code socnet.feed.post-cache-ttl}. */
    void putPosts(Collection<Post> posts) {
        if (posts.isEmpty()) {
            return;
        }
        long ttl = properties.postCacheTtl().toMillis();
        List<byte[][]> values = posts.stream()
                .map(p -> new byte[][] {bytes(FeedKeys.post(p.id())), json.writeValueAsBytes(p)}).toList();
        batch(values.size(), commands -> values.stream().map(kv -> commands.psetex(kv[0], ttl, kv[1])).toList());
    }

    void evictPost(UUID postId) {
        call(() -> redis.delete(FeedKeys.post(postId)));
    }

    private void fill(String key, FeedHeader header, List<FeedEntry> entries) {
        List<String> args = new ArrayList<>(2 + 2 * entries.size());
        args.add(Long.toString(properties.homeTtl().toMillis()));
        args.add(header.member());
        for (FeedEntry entry : entries) {
            args.add(Long.toString(entry.createdAtMillis()));
            args.add(entry.postId().toString());
        }
        call(() -> redis.execute(replace, List.of(key), args.toArray()));
    }

    /**
     * One batch: load the push script (a no-op when it is loaded; commands on one connection run in
     * order, so it is there for what follows), then one EVALSHA per key and entry.
     */
    private void pushAll(List<String> keys, Collection<FeedEntry> entries) {
        if (keys.isEmpty() || entries.isEmpty()) {
            return;
        }
        byte[] max = bytes(Integer.toString(properties.maxItems()));
        batch(1 + keys.size() * entries.size(), commands -> {
            List<RedisFuture<?>> futures = new ArrayList<>();
            futures.add(commands.scriptLoad(FeedScripts.PUSH));
            for (String key : keys) {
                byte[][] keyBytes = {bytes(key)};
                for (FeedEntry entry : entries) {
                    futures.add(commands.<Long>evalsha(push.getSha1(), ScriptOutputType.INTEGER, keyBytes,
                            bytes(Long.toString(entry.createdAtMillis())), bytes(entry.postId().toString()), max));
                }
            }
            return futures;
        });
    }

    /**
     * Sends the commands {@code issue} creates on the shared connection without waiting for each answer
     * (Lettuce writes them back to back: a pipeline on the wire), then waits for all of them, at most
     * {@code spring.data.redis.timeout} per {@value #COMMANDS_PER_TIMEOUT} commands. Spring's
     * {@code executePipelined} would open a dedicated connection per call (no pool is configured), which
     * costs a TCP handshake each time.
     *
     * @return the results, in the order of the futures
     */
    private <T> List<T> batch(int commands, Function<RedisClusterAsyncCommands<byte[], byte[]>,
            List<? extends RedisFuture<? extends T>>> issue) {
        return call(() -> redis.execute((RedisCallback<List<T>>) connection -> {
            @SuppressWarnings("unchecked")
            var async = (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            List<? extends RedisFuture<? extends T>> futures = issue.apply(async);
            Duration wait = commandTimeout.multipliedBy(1 + commands / COMMANDS_PER_TIMEOUT);
            if (!LettuceFutures.awaitAll(wait, futures.toArray(new RedisFuture<?>[0]))) {
                throw new RedisCommandTimeoutException(commands + " commands did not complete within " + wait);
            }
            List<T> results = new ArrayList<>(futures.size());
            for (RedisFuture<? extends T> future : futures) {
                try {
                    results.add(future.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RedisException("interrupted", e);
                } catch (ExecutionException e) {
                    throw new RedisException(e.getCause());
                }
            }
            return results;
        }));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T call(Supplier<T> redisCommands) {
        try {
            return redisCommands.get();
        } catch (DataAccessException | RedisException e) {
            throw new CacheUnavailableException(e);
        }
    }
}
