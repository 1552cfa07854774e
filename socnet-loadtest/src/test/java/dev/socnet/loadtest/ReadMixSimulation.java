package dev.socnet.loadtest;

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
 * The read mix of {@code ./socnet bench replicas}: {@code users} virtual users, each looping
 * {@code GET /user/get/{id}} then {@code GET /user/search?first_name=&last_name=} back to back for
 * {@code durationS} seconds (closed model, as {@link SearchSimulation}).
 *
 * <p>Feeder CSV (header {@code id,first_name,last_name}): ids and 3-letter name prefixes of real
 * users, drawn from the database by scripts/bench/replicas.sh. System properties: {@code baseUrl},
 * {@code users}, {@code durationS}, {@code feederFile} (defaults as in {@link SearchSimulation}, feeder
 * {@value #DEFAULT_FEEDER_FILE}).
 */
public class ReadMixSimulation extends Simulation {

    /** Default of the {@code feederFile} system property. */
    public static final String DEFAULT_FEEDER_FILE = "target/bench/replicas/feeder.csv";

    private final String baseUrl = System.getProperty("baseUrl", SearchSimulation.DEFAULT_BASE_URL);
    private final int users = Integer.getInteger("users", SearchSimulation.DEFAULT_USERS);
    private final int durationS = Integer.getInteger("durationS", SearchSimulation.DEFAULT_DURATION_S);
    private final String feederFile = System.getProperty("feederFile", DEFAULT_FEEDER_FILE);

    private final HttpProtocolBuilder httpProtocol = http
            .baseUrl(baseUrl)
            .acceptHeader("application/json")
            .userAgentHeader("socnet-loadtest/ReadMixSimulation");

    private final ScenarioBuilder reads = scenario("profile + search, " + users + " users")
            .forever()
            .on(feed(csv(feederFile).random())
                    .exec(http("get").get("/user/get/#{id}").check(status().is(200)))
                    .exec(http("search")
                            .get("/user/search")
                            .queryParam("first_name", "#{first_name}")
                            .queryParam("last_name", "#{last_name}")
                            .check(status().is(200))));

    /** Sets up the closed workload described in the class comment. */
    public ReadMixSimulation() {
        Duration duration = Duration.ofSeconds(durationS);
        setUp(reads.injectClosed(constantConcurrentUsers(users).during(duration)))
                .protocols(httpProtocol)
                .maxDuration(duration)
                .assertions(BenchAssertions.fromSystemProperties());
    }
}
