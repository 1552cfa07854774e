package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socnet.ApiClient;
import dev.socnet.LoopbackProxy;

/**
 * The database goes away under a running app (its connections are cut by a relay in front of the
 * real PostgreSQL primary): requests get 503 with {@code Retry-After} and the JSON error body with
 * the request id, not a 500, a stack trace or a hang.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "socnet.auth.jwt-secret=integration-tests-secret-at-least-32-bytes-long",
        "spring.datasource.hikari.connection-timeout=1000"})
class DatabaseOutageIT {

    private static final LoopbackProxy PROXY = LoopbackProxy.toPortOf("SOCNET_PG_PORT", 15432);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String db = System.getenv().getOrDefault("SOCNET_TEST_DB", "socnet_test");
        String url = "jdbc:postgresql://127.0.0.1:" + PROXY.port() + "/" + db;
        registry.add("spring.datasource.url", () -> url);
        registry.add("socnet.datasource.replica.url", () -> url);
    }

    @AfterAll
    static void closeProxy() {
        PROXY.close();
    }

    @LocalServerPort
    int port;

    @Test
    void databaseDownIs503WithRetryAfter() {
        var api = new ApiClient(port);
        api.get("/user/get/" + UUID.randomUUID()).assertError(404, null);

        PROXY.cut();

        var response = api.get("/user/get/" + UUID.randomUUID(), "X-Request-Id", "outage-1");
        response.assertError(503, null);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.json().path("request_id").asString()).isEqualTo("outage-1");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");

        api.get("/user/search?first_name=a&last_name=b").assertError(503, null);
        api.post("/user/register", """
                {"first_name": "Иван", "second_name": "Петров", "birthdate": "1990-01-01", "password": "secret1"}
                """).assertError(503, null);
    }
}
