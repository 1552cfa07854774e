package dev.socnet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * People search under a closed workload: {@code users} virtual users, each sending
 * {@code GET /user/search?first_name=<prefix>&last_name=<prefix>} back to back (no think time) for
 * {@code durationS} seconds; then the run stops.
 *
 * <p>Every request takes a random row of the feeder CSV, whose header is {@code first_name,last_name}
 * and whose rows are name prefixes of real users (scripts/bench/search.sh draws them from the
 * {@code users} table before the run; see docs/benchmarks/search.md for the prefix lengths). A request
 * passes when the status is 200; the response body length in bytes is saved to the session as
 * {@code bodyBytes}. The mean number of rows per answer is measured separately, by
 * {@code dev.socnet.loadtest.report.SearchResultSizeProbe}, because Gatling's reports have no place for it.
 *
 * <p>System properties (Maven passes {@code -D} ones on to the forked Gatling JVM):
 * <ul>
 *   <li>{@code baseUrl} — the app, default {@value #DEFAULT_BASE_URL};</li>
 *   <li>{@code users} — concurrent virtual users, default {@value #DEFAULT_USERS};</li>
 *   <li>{@code durationS} — run length in seconds, default {@value #DEFAULT_DURATION_S};</li>
 *   <li>{@code feederFile} — path of the feeder CSV, default {@value #DEFAULT_FEEDER_FILE}
 *       (relative to the module directory, the working directory of {@code gatling:test}).</li>
 * </ul>
 */
public class SearchSimulation extends Simulation {

    /** Default of the {@code baseUrl} system property. */
    public static final String DEFAULT_BASE_URL = "http://localhost:8080";
    /** Default of the {@code users} system property: concurrent virtual users. */
    public static final int DEFAULT_USERS = 10;
    /** Default of the {@code durationS} system property: run length in seconds. */
    public static final int DEFAULT_DURATION_S = 60;
    /** Default of the {@code feederFile} system property. */
    public static final String DEFAULT_FEEDER_FILE = "target/bench/search/feeder.csv";
    /** Request name, as it appears in the Gatling report and its {@code js/stats.json}. */
    public static final String REQUEST_NAME = "search";

    private final String baseUrl = System.getProperty("baseUrl", DEFAULT_BASE_URL);
    private final int users = Integer.getInteger("users", DEFAULT_USERS);
    private final int durationS = Integer.getInteger("durationS", DEFAULT_DURATION_S);
    private final String feederFile = System.getProperty("feederFile", DEFAULT_FEEDER_FILE);

    private final HttpProtocolBuilder httpProtocol = http
            .baseUrl(baseUrl)
            .acceptHeader("application/json")
            .userAgentHeader("socnet-loadtest/SearchSimulation");

    private final ScenarioBuilder search = scenario("people search, " + users + " users")
            .forever()
            .on(feed(csv(feederFile).random())
                    .exec(http(REQUEST_NAME)
                            .get("/user/search")
                            .queryParam("first_name", "#{first_name}")
                            .queryParam("last_name", "#{last_name}")
                            .check(status().is(200), bodyLength().saveAs("bodyBytes"))));

    /** Sets up the closed workload described in the class comment. */
    public SearchSimulation() {
        Duration duration = Duration.ofSeconds(durationS);
        // The users loop forever, so the closed injector never has to replace one; maxDuration ends the run.
        setUp(search.injectClosed(constantConcurrentUsers(users).during(duration)))
                .protocols(httpProtocol)
                .maxDuration(duration)
                .assertions(BenchAssertions.fromSystemProperties());
    }
}
