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
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Dialogs through the gateway under a closed workload: {@code users} virtual users, each sending requests
 * back to back (no think time) for {@code durationS} seconds, as a random row of the feeder (a user's token
 * and the other participant). Modes ({@code mode} property):
 * <ul>
 *   <li>{@code send} — {@code POST /dialog/{peer}/send {"text": ...}};</li>
 *   <li>{@code list} — {@code GET /dialog/{peer}/list?limit=<limit>} (newest page);</li>
 *   <li>{@code mixed} — a send, then a list of the same dialog (used while shards move).</li>
 * </ul>
 * The feeder CSV has the header {@code user_id,token,peer_id} (tokens minted by
 * {@code dev.socnet.loadtest.report.BenchTokens}, peers drawn from the same users). A request passes when
 * the gateway answers 200.
 *
 * <p>With the {@code requestLog} property set, every request is also written to that file, one CSV line
 * each, so that latency can be lined up with events outside Gatling (shard moves): the header
 * {@value #REQUEST_LOG_HEADER}, then {@code start_ms} and {@code end_ms} (wall clock of this machine, ms since
 * the epoch, taken just before the request is handed to Gatling's HTTP client and just after its answer or
 * failure), {@code request} ({@value #SEND_REQUEST} or {@value #LIST_REQUEST}), {@code ok} (1 when the
 * gateway answered 200 within Gatling's timeout, else 0), and the feeder row's {@code user_id},
 * {@code peer_id}. Gatling 3.15's own {@code simulation.log} is binary with an internal layout, hence this file.
 *
 * <p>System properties: {@code baseUrl} (default {@value #DEFAULT_BASE_URL}), {@code mode}
 * ({@value #DEFAULT_MODE}), {@code users} ({@value #DEFAULT_USERS}), {@code durationS}
 * ({@value #DEFAULT_DURATION_S}), {@code limit} ({@value #DEFAULT_LIMIT}), {@code feederFile},
 * {@code requestLog} (none).
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
    /** First line of the {@code requestLog} file. */
    public static final String REQUEST_LOG_HEADER = "start_ms,end_ms,request,ok,user_id,peer_id";
    private static final String START_KEY = "requestStartMs";

    private final String baseUrl = System.getProperty("baseUrl", DEFAULT_BASE_URL);
    private final String mode = System.getProperty("mode", DEFAULT_MODE);
    private final int users = Integer.getInteger("users", DEFAULT_USERS);
    private final int durationS = Integer.getInteger("durationS", DEFAULT_DURATION_S);
    private final int limit = Integer.getInteger("limit", DEFAULT_LIMIT);
    private final String feederFile = System.getProperty("feederFile", "target/bench/dialogs/pairs.csv");
    private final BufferedWriter requestLog = openRequestLog(System.getProperty("requestLog"));

    private final HttpProtocolBuilder httpProtocol = http
            .baseUrl(baseUrl)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .userAgentHeader("socnet-loadtest/DialogsSimulation");

    private ChainBuilder send() {
        return logged(SEND_REQUEST, exec(http(SEND_REQUEST)
                .post("/dialog/#{peer_id}/send")
                .header("Authorization", "Bearer #{token}")
                .body(StringBody("{\"text\": \"Привет! Нагрузочное сообщение от #{user_id}, проверяем диалоги.\"}"))
                .check(status().is(200))));
    }

    private ChainBuilder list() {
        return logged(LIST_REQUEST, exec(http(LIST_REQUEST)
                .get("/dialog/#{peer_id}/list")
                .queryParam("limit", Integer.toString(limit))
                .header("Authorization", "Bearer #{token}")
                .check(status().is(200))));
    }

    /** {@code request} between two timestamps written to the request log (as is when there is no log). */
    private ChainBuilder logged(String name, ChainBuilder request) {
        if (requestLog == null) {
            return request;
        }
        return exec(session -> session.markAsSucceeded().set(START_KEY, System.currentTimeMillis()))
                .exec(request)
                .exec(session -> {
                    long end = System.currentTimeMillis();
                    writeRequest(session.getLong(START_KEY) + "," + end + "," + name + "," + (session.isFailed() ? 0 : 1)
                            + "," + session.getString("user_id") + "," + session.getString("peer_id"));
                    // The next request of this virtual user starts with a clean status.
                    return session.markAsSucceeded();
                });
    }

    private void writeRequest(String line) {
        synchronized (requestLog) {
            try {
                requestLog.write(line);
                requestLog.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static BufferedWriter openRequestLog(String file) {
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            BufferedWriter writer = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8);
            writer.write(REQUEST_LOG_HEADER);
            writer.newLine();
            return writer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the request log " + file, e);
        }
    }

    /** Flushes and closes the request log, if any. */
    @Override
    public void after() {
        if (requestLog != null) {
            synchronized (requestLog) {
                try {
                    requestLog.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
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
                .maxDuration(duration)
                .assertions(BenchAssertions.fromSystemProperties());
    }
}
