package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.ScriptedHaproxy;
import tools.jackson.databind.JsonNode;

/**
 * HAProxy's rate limits per client address, with the configuration that {@code scripts/lib/haproxy.sh}
 * writes ({@link ScriptedHaproxy}: its own functions, run with this test's ports and small limits, nothing
 * re-typed), in front of an app instance in the test JVM, on a port and in a directory of the test's own. A flood of logins from one
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

    ScriptedHaproxy haproxy;
    ApiClient api;

    @AfterEach
    void stopHaproxy() throws Exception {
        if (haproxy != null) {
            haproxy.close();
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

        haproxy.script("haproxy_rate_limit_exempt add 127.0.0.1 ::1");
        for (int i = 1; i <= 3; i++) {
            login("exempt-" + i).assertError(404, null);
        }
        haproxy.script("haproxy_rate_limit_exempt del 127.0.0.1 ::1");
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

    /** HAProxy configured by haproxy.sh with the given limits in the test's window, in front of this instance. */
    private void start(Map<String, String> limits) throws Exception {
        Map<String, String> settings = new HashMap<>(limits);
        settings.put("SOCNET_RATE_LIMIT_PERIOD_S", Integer.toString(PERIOD_S));
        haproxy = new ScriptedHaproxy(List.of(new ScriptedHaproxy.Backend(appPort, managementPort)), settings);
        api = new ApiClient(haproxy.port());
    }
}
