package dev.socnet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The news feed under a closed workload: {@code users} virtual users, each sending requests back to back
 * (no think time) for {@code durationS} seconds. Two modes ({@code mode} property):
 * <ul>
 *   <li>{@code read} — {@code GET /post/feed?offset=<offset>&limit=<limit>} as a random reader of the feeder;
 *       {@code offset} is 0 (the first page) with {@code pages} 1, else a page drawn uniformly from the
 *       first {@code pages} pages (0, limit, 2 × limit, …): readers scrolling down their feed;</li>
 *   <li>{@code create} — {@code POST /post/create {"text": ...}} as a random author of the feeder (the bench
 *       gives one author per run: an ordinary one, or a celebrity).</li>
 * </ul>
 * The feeder CSV has the header {@code user_id,token} (tokens minted by
 * {@code dev.socnet.loadtest.report.BenchTokens}). A request passes when the app answers 200.
 *
 * <p>System properties: {@code baseUrl} (default {@value #DEFAULT_BASE_URL}), {@code mode}
 * ({@value #DEFAULT_MODE}), {@code users} ({@value #DEFAULT_USERS}), {@code durationS}
 * ({@value #DEFAULT_DURATION_S}), {@code limit} ({@value #DEFAULT_LIMIT}), {@code pages} ({@value #DEFAULT_PAGES}),
 * {@code feederFile}.
 */
public class FeedSimulation extends Simulation {

    public static final String DEFAULT_BASE_URL = "http://localhost:8080";
    public static final String DEFAULT_MODE = "read";
    public static final int DEFAULT_USERS = 10;
    public static final int DEFAULT_DURATION_S = 60;
    /** The contract's default page size. */
    public static final int DEFAULT_LIMIT = 10;
    /** Only the first page. */
    public static final int DEFAULT_PAGES = 1;
    /** Request names, as they appear in the Gatling report. */
    public static final String READ_REQUEST = "feed";
    public static final String CREATE_REQUEST = "create";

    private final String baseUrl = System.getProperty("baseUrl", DEFAULT_BASE_URL);
    private final String mode = System.getProperty("mode", DEFAULT_MODE);
    private final int users = Integer.getInteger("users", DEFAULT_USERS);
    private final int durationS = Integer.getInteger("durationS", DEFAULT_DURATION_S);
    private final int limit = Integer.getInteger("limit", DEFAULT_LIMIT);
    private final int pages = Integer.getInteger("pages", DEFAULT_PAGES);
    private final String feederFile = System.getProperty("feederFile", "target/bench/feed/readers.csv");

    private final HttpProtocolBuilder httpProtocol = http
            .baseUrl(baseUrl)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .userAgentHeader("socnet-loadtest/FeedSimulation");

    private ChainBuilder request() {
        if (mode.equals("create")) {
            return feed(csv(feederFile).random())
                    .exec(http(CREATE_REQUEST)
                            .post("/post/create")
                            .header("Authorization", "Bearer #{token}")
                            .body(StringBody("{\"text\": \"Нагрузочный пост #{user_id}: проверяем, как быстро он создаётся.\"}"))
                            .check(status().is(200)));
        }
        if (!mode.equals("read")) {
            throw new IllegalArgumentException("mode must be read or create, got " + mode);
        }
        return feed(csv(feederFile).random())
                .exec(http(READ_REQUEST)
                        .get("/post/feed")
                        .queryParam("offset", session -> Integer.toString(limit * ThreadLocalRandom.current().nextInt(pages)))
                        .queryParam("limit", Integer.toString(limit))
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200)));
    }

    /** Sets up the closed workload described in the class comment. */
    public FeedSimulation() {
        Duration duration = Duration.ofSeconds(durationS);
        setUp(scenario("feed " + mode + ", " + users + " users").forever().on(request())
                .injectClosed(constantConcurrentUsers(users).during(duration)))
                .protocols(httpProtocol)
                .maxDuration(duration)
                .assertions(BenchAssertions.fromSystemProperties());
    }
}
