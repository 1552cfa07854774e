package dev.socnet.loadtest.report;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * The smallest real Gatling run, for {@link GatlingRunStatsTest}: {@value #USERS} users each send
 * {@value #OKS_PER_USER} requests the server answers 200 and one it answers 500 (a KO), to
 * {@code -DpingBaseUrl}. Not a benchmark.
 */
public class PingSimulation extends Simulation {

    static final int USERS = 5;
    static final int OKS_PER_USER = 3;

    {
        ScenarioBuilder ping = scenario("ping")
                .repeat(OKS_PER_USER).on(exec(http("ok").get("/ok")))
                .exec(http("fail").get("/fail"));
        setUp(ping.injectOpen(atOnceUsers(USERS))).protocols(http.baseUrl(System.getProperty("pingBaseUrl")));
    }
}
