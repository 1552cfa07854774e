package dev.socnet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * Dialogs through the gateway under a closed workload: {@code users} virtual users, each sending requests
 * back to back (no think time) for {@code durationS} seconds, as a random row of the feeder (a user's token
 * and the other participant). Modes ({@code mode} property):
 * <ul>
 *   <li>{@code send} — {@code POST /dialog/{peer}/send {"text": ...}};</li>
 *   <li>{@code list} — {@code GET /dialog/{peer}/list?limit=<limit>} (newest page);</li>
 *   <li>{@code mixed} — a send, then a list of the same dialog (used while partitions move).</li>
 * </ul>
 * The feeder CSV has the header {@code user_id,token,peer_id} (tokens minted by
 * {@code dev.socnet.loadtest.report.BenchTokens}, peers drawn from the same users). A request passes when
 * the gateway answers 200.
 *
 * <p>System properties: {@code baseUrl} (default {@value #DEFAULT_BASE_URL}), {@code mode}
 * ({@value #DEFAULT_MODE}), {@code users} ({@value #DEFAULT_USERS}), {@code durationS}
 * ({@value #DEFAULT_DURATION_S}), {@code limit} ({@value #DEFAULT_LIMIT}), {@code feederFile}.
 */
public class DialogsSimulation extends Simulation {

    public static final String DEFAULT_BASE_URL = "http://localhost:8080";
    public static final String DEFAULT_MODE = "send";
    public static final int DEFAULT_USERS = 32;
    public static final int DEFAULT_DURATION_S = 30;
    /** The gateway's default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** Request names, as they appear in the Gatling report. */
    public static final String SEND_REQUEST = "send";
    public static final String LIST_REQUEST = "list";

    private final String baseUrl = System.getProperty("baseUrl", DEFAULT_BASE_URL);
    private final String mode = System.getProperty("mode", DEFAULT_MODE);
    private final int users = Integer.getInteger("users", DEFAULT_USERS);
    private final int durationS = Integer.getInteger("durationS", DEFAULT_DURATION_S);
    private final int limit = Integer.getInteger("limit", DEFAULT_LIMIT);
    private final String feederFile = System.getProperty("feederFile", "target/bench/dialogs/pairs.csv");

    private final HttpProtocolBuilder httpProtocol = http
            .baseUrl(baseUrl)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .userAgentHeader("socnet-loadtest/DialogsSimulation");

    private ChainBuilder send() {
        return exec(http(SEND_REQUEST)
                .post("/dialog/#{peer_id}/send")
                .header("Authorization", "Bearer #{token}")
                .body(StringBody("{\"text\": \"Привет! Нагрузочное сообщение от #{user_id}, проверяем диалоги.\"}"))
                .check(status().is(200)));
    }

    private ChainBuilder list() {
        return exec(http(LIST_REQUEST)
                .get("/dialog/#{peer_id}/list")
                .queryParam("limit", Integer.toString(limit))
                .header("Authorization", "Bearer #{token}")
                .check(status().is(200)));
    }

    private ChainBuilder request() {
        ChainBuilder pair = feed(csv(feederFile).random());
        return switch (mode) {
            case "send" -> pair.exec(send());
            case "list" -> pair.exec(list());
            case "mixed" -> pair.exec(send()).exec(list());
            default -> throw new IllegalArgumentException("mode must be send, list or mixed, got " + mode);
        };
    }

    /** Sets up the closed workload described in the class comment. */
    public DialogsSimulation() {
        Duration duration = Duration.ofSeconds(durationS);
        setUp(scenario("dialogs " + mode + ", " + users + " users").forever().on(request())
                .injectClosed(constantConcurrentUsers(users).during(duration)))
                .protocols(httpProtocol)
                .maxDuration(duration);
    }
}
