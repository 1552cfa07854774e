package dev.socnet.loadtest.report;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Measures how long a new post takes to reach every follower's cached feed: the fan-out on write, end to
 * end (HTTP create, outbox, relay to RabbitMQ, fan-out worker, Redis pipelines).
 *
 * <ol>
 *   <li>Warm: each follower reads their feed once ({@code GET /post/feed?limit=1}), so that every follower
 *       has a cached feed in Redis ({@code feed:home:<id>}, see the app's {@code FeedKeys}); then checks that
 *       all those keys exist.</li>
 *   <li>Rounds: the author creates a post; from the moment the request is sent, a Lua script counts the
 *       followers' cached feeds holding the new post id, polled every {@value #POLL_MS} ms, until all do.
 *       The time from sending the create to the poll that saw all of them is the fan-out time (its
 *       resolution is the poll interval plus one poll, a few ms). Rounds are {@value #PAUSE_MS} ms apart.</li>
 * </ol>
 * Arguments: {@code --base-url}, {@code --redis-host} (127.0.0.1), {@code --redis-port}, {@code --author-token},
 * {@code --followers=FILE} (CSV {@code user_id,token}), {@code --rounds} (10), {@code --timeout-s} (30),
 * {@code --warm-concurrency} (16), {@code --out=FILE} (JSON {@link FanOutResult}).
 */
public final class FanOutProbe {

    static final int POLL_MS = 5;
    static final int PAUSE_MS = 1000;
    /** Redis list of the followers' feed keys, read by the counting script; removed at the end. */
    static final String FOLLOWER_KEYS = "bench:feed:fan-out:follower-keys";
    /** Counts the feeds in the list KEYS[1] that hold member ARGV[1]. */
    static final String COUNT_SCRIPT = """
            local n = 0
            for _, key in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              if redis.call('ZSCORE', key, ARGV[1]) then n = n + 1 end
            end
            return n
            """;
    static final String EXISTING_SCRIPT = """
            local n = 0
            for _, key in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              n = n + redis.call('EXISTS', key)
            end
            return n
            """;

    private FanOutProbe() {
    }

    public static void main(String[] args) throws Exception {
        MainArguments arguments = MainArguments.parse(args);
        String baseUrl = arguments.require("base-url");
        List<String[]> followers = Files.readAllLines(arguments.requirePath("followers"), StandardCharsets.UTF_8).stream()
                .skip(1).filter(line -> !line.isBlank()).map(line -> line.split(",", 2)).toList();
        int rounds = arguments.intOr("rounds", 10);
        Duration timeout = Duration.ofSeconds(arguments.intOr("timeout-s", 30));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        long warmStarted = System.nanoTime();
        warm(http, baseUrl, followers, arguments.intOr("warm-concurrency", 16));
        double warmS = (System.nanoTime() - warmStarted) / 1e9;

        // Redis' ACL user and its generated password (.local/secrets.env, exported by ./socnet bench)
        RedisURI uri = RedisURI.builder().withHost(arguments.stringOr("redis-host", "127.0.0.1"))
                .withPort(Integer.parseInt(arguments.require("redis-port")))
                .withAuthentication(System.getenv().getOrDefault("SOCNET_REDIS_USER", "socnet"),
                        requiredEnv("SOCNET_REDIS_PASSWORD"))
                .build();
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del(FOLLOWER_KEYS);
            List<String> keys = followers.stream().map(f -> "feed:home:" + f[0]).toList();
            for (int i = 0; i < keys.size(); i += 1000) {
                redis.rpush(FOLLOWER_KEYS, keys.subList(i, Math.min(keys.size(), i + 1000)).toArray(String[]::new));
            }
            long cached = redis.<Long>eval(EXISTING_SCRIPT, ScriptOutputType.INTEGER, FOLLOWER_KEYS);
            if (cached != followers.size()) {
                throw new IllegalStateException("only " + cached + " of " + followers.size() + " followers have a cached feed");
            }
            List<Double> fanOutMs = new ArrayList<>();
            List<Double> createMs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                long sent = System.nanoTime();
                String postId = create(http, baseUrl, arguments.require("author-token"), round);
                createMs.add((System.nanoTime() - sent) / 1e6);
                while (true) {
                    long reached = redis.<Long>eval(COUNT_SCRIPT, ScriptOutputType.INTEGER, new String[] {FOLLOWER_KEYS}, postId);
                    long elapsed = System.nanoTime() - sent;
                    if (reached == followers.size()) {
                        fanOutMs.add(elapsed / 1e6);
                        System.out.printf("round %d: post %s reached %d cached feeds in %.0f ms%n", round, postId, reached,
                                elapsed / 1e6);
                        break;
                    }
                    if (elapsed > timeout.toNanos()) {
                        throw new IllegalStateException("round " + round + ": only " + reached + " of " + followers.size()
                                + " feeds hold post " + postId + " after " + timeout);
                    }
                    Thread.sleep(POLL_MS);
                }
                Thread.sleep(PAUSE_MS);
            }
            redis.del(FOLLOWER_KEYS);
            FanOutResult result = new FanOutResult(followers.size(), rounds, fanOutMs, createMs, Math.round(warmS * 10) / 10.0);
            SearchResultSizeProbe.JSON.writerWithDefaultPrettyPrinter().writeValue(arguments.requirePath("out").toFile(), result);
        } finally {
            client.shutdown();
        }
    }

    private static void warm(HttpClient http, String baseUrl, List<String[]> followers, int concurrency) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String[] follower : followers) {
                slots.acquire();
                statuses.add(workers.submit(() -> {
                    try {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/post/feed?limit=1"))
                                .header("Authorization", "Bearer " + follower[1]).timeout(Duration.ofSeconds(30)).build();
                        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        long failed = 0;
        for (Future<Integer> status : statuses) {
            failed += status.get() == 200 ? 0 : 1;
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + followers.size() + " feed reads failed while warming");
        }
    }

    private static String create(HttpClient http, String baseUrl, String token, int round) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/post/create"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"Пост для замера рассылки, раунд " + round + "\"}"))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /post/create answered " + response.statusCode() + ": " + response.body());
        }
        return SearchResultSizeProbe.JSON.readValue(response.body(), String.class);
    }

    /**
     * What {@link FanOutProbe} measured (written as JSON, snake_case).
     *
     * @param followers followers whose cached feeds were watched
     * @param rounds    posts created
     * @param fanOutMs  per round: ms from sending the create until every follower's cached feed held the post
     * @param createMs  per round: ms until the create answered
     * @param warmS     seconds the warm-up reads took (filling up to {@code followers} feeds)
     */
    public record FanOutResult(int followers, int rounds, List<Double> fanOutMs, List<Double> createMs, double warmS) {
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set (./socnet bench exports .local/secrets.env)");
        }
        return value;
    }
}
