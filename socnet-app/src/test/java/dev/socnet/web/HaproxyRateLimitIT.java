package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.LocalCluster;
import tools.jackson.databind.JsonNode;

/**
 * HAProxy's rate limits per client address, with the configuration that {@code scripts/lib/haproxy.sh}
 * writes (its own functions, run with this test's ports and small limits: nothing re-typed), in front of an
 * app instance in the test JVM, on a port and in a directory of the test's own. A flood of logins from one
 * address gets 429 from HAProxy — {@code Retry-After}, the app's JSON error body with the request id —
 * while other paths are still served; the overall per-address limit likewise; the run-time exemption that
 * {@code ./socnet bench} uses lets loopback through and, taken away, no longer does.
 */
@IntegrationTest
class HaproxyRateLimitIT {

    /** The window of the test's limits, long enough that a loaded machine sends each burst well inside it. */
    static final int PERIOD_S = 30;

    @LocalServerPort
    int appPort;

    @LocalManagementPort
    int managementPort;

    Path dir;
    int port;
    Map<String, String> limits;
    Process haproxy;
    ApiClient api;

    @AfterEach
    void stopHaproxy() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLoginFloodFromOneAddressIsAnswered429AtTheDoorWhileOtherPathsAreServed() throws Exception {
        start(Map.of("SOCNET_RATE_LIMIT_LOGIN", "3", "SOCNET_RATE_LIMIT_REGISTER", "3",
                "SOCNET_RATE_LIMIT_REQUESTS", "1000"));
        for (int i = 1; i <= 3; i++) {
            // an unknown user: the app's own 404, so each of these reached it
            login("login-" + i).assertError(404, null);
        }
        assertRateLimited(login("login-flood-4"), "login-flood-4", "login");
        var withoutId = api.post("/login", Map.of("id", UUID.randomUUID().toString(), "password", "guess-5"));
        String generated = withoutId.header("X-Request-Id");
        assertThat(UUID.fromString(generated)).as("HAProxy's own request id is a UUID").isNotNull();
        assertRateLimited(withoutId, generated, "login");

        assertThat(api.get("/user/get/" + UUID.randomUUID()).status()).as("other paths are served").isEqualTo(404);
        api.post("/user/register", Map.of("first_name", "Иван"), "X-Request-Id", "register-1")
                .assertError(400, null);
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void registrationsAndAllRequestsHaveTheirOwnLimitsPerAddress() throws Exception {
        start(Map.of("SOCNET_RATE_LIMIT_LOGIN", "3", "SOCNET_RATE_LIMIT_REGISTER", "2",
                "SOCNET_RATE_LIMIT_REQUESTS", "10"));
        for (int i = 1; i <= 2; i++) {
            api.post("/user/register", Map.of("first_name", "Иван")).assertError(400, null);
        }
        assertRateLimited(api.post("/user/register", Map.of("first_name", "Иван"), "X-Request-Id", "register-3"),
                "register-3", "register");

        // 2 registrations counted so far (the refused one was not: it never got past its own limit)
        for (int i = 3; i <= 10; i++) {
            assertThat(api.get("/actuator/health").status()).as("request %d", i).isEqualTo(200);
        }
        assertRateLimited(api.get("/actuator/health", "X-Request-Id", "eleventh"), "eleventh", "requests");
    }

    @Test
    void theBenchmarksExemptionLetsLoopbackThroughUntilItIsTakenAway() throws Exception {
        start(Map.of("SOCNET_RATE_LIMIT_LOGIN", "1", "SOCNET_RATE_LIMIT_REGISTER", "1",
                "SOCNET_RATE_LIMIT_REQUESTS", "1000"));
        login("first").assertError(404, null);
        assertRateLimited(login("second"), "second", "login");

        script("haproxy_rate_limit_exempt add 127.0.0.1 ::1");
        for (int i = 1; i <= 3; i++) {
            login("exempt-" + i).assertError(404, null);
        }
        script("haproxy_rate_limit_exempt del 127.0.0.1 ::1");
        assertRateLimited(login("again"), "again", "login");
    }

    private ApiClient.Response login(String requestId) {
        return api.post("/login", Map.of("id", UUID.randomUUID().toString(), "password", "guess"),
                "X-Request-Id", requestId);
    }

    /** 429 from HAProxy: Retry-After the period, the app's JSON error body naming the limit, the request id. */
    private static void assertRateLimited(ApiClient.Response response, String requestId, String limit) {
        response.assertError(429, null);
        assertThat(response.header("X-Request-Id")).isEqualTo(requestId);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("Retry-After")).isEqualTo(Integer.toString(PERIOD_S));
        JsonNode body = response.json();
        assertThat(body.path("request_id").asString()).isEqualTo(requestId);
        assertThat(body.path("message").asString()).startsWith("rate limit " + limit + ": at most ")
                .endsWith("per " + PERIOD_S + " s per client address; retry after " + PERIOD_S + " s");
        assertThat(body.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("message", "request_id", "code");
    }

    /** Writes the configuration with haproxy.sh and the given limits, starts HAProxy, waits until it serves. */
    private void start(Map<String, String> limits) throws Exception {
        this.dir = Files.createTempDirectory("socnet-haproxy-rate-it");
        this.port = freePort();
        this.limits = limits;
        script("haproxy_write_cfg");
        Path config = dir.resolve("haproxy.cfg");
        haproxy = new ProcessBuilder("haproxy", "-f", config.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        // the pid file haproxy.sh's haproxy_running looks for (HAProxy in the foreground writes none)
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run/haproxy.pid"), haproxy.pid() + "\n");
        api = new ApiClient(port);
        // waits on HAProxy's runtime API, not with requests through the frontend, which would count
        await("HAProxy has the instance up").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(this::backendUp);
    }

    /** Runs {@code command} in bash with haproxy.sh's functions, LOCAL = the test's directory, the test's limits. */
    private void script(String command) throws Exception {
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", """
                set -euo pipefail
                . scripts/lib/common.sh; . scripts/lib/app.sh; . scripts/lib/haproxy.sh
                """ + command + "\n").directory(LocalCluster.ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(Map.of(
                "LOCAL", dir.toString(),
                "SOCNET_PUBLIC_ADDRESS", "127.0.0.1",
                "SOCNET_APP_PORT", Integer.toString(port),
                "SOCNET_APP_INSTANCE_PORTS", Integer.toString(appPort),
                "SOCNET_APP_MANAGEMENT_PORTS", Integer.toString(managementPort),
                "SOCNET_RATE_LIMIT_PERIOD_S", Integer.toString(PERIOD_S),
                "SOCNET_RATE_LIMIT_EXEMPT", ""));
        env.putAll(limits);
        bash.environment().putAll(env);
        Process p = bash.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    }

    /** Whether HAProxy's stats (runtime API) show the instance UP, without a request through the frontend. */
    private boolean backendUp() throws Exception {
        ProcessBuilder socat = new ProcessBuilder("socat", "-", "UNIX-CONNECT:" + dir.resolve("run/haproxy.sock"));
        Process p = socat.start();
        p.getOutputStream().write("show stat\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String stat = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return stat.lines().anyMatch(l -> l.startsWith("app,app1,") && l.contains(",UP,"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
