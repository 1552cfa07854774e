package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.ApiClient;

/**
 * With the database unreachable (the app pointed at a loopback port where nothing listens — what a
 * client sees when PostgreSQL is down), requests get 503 with {@code Retry-After} and the JSON
 * error body, not a 500 or a hang.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "socnet.auth.jwt-secret=integration-tests-secret-at-least-32-bytes-long",
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/socnet",
        "spring.datasource.hikari.initialization-fail-timeout=-1",
        "spring.datasource.hikari.connection-timeout=500",
        "spring.flyway.enabled=false"})
class DatabaseOutageIT {

    @LocalServerPort
    int port;

    @Test
    void databaseDownIs503WithRetryAfter() {
        var api = new ApiClient(port);
        var response = api.get("/user/get/" + UUID.randomUUID(), "X-Request-Id", "outage-1");
        response.assertError(503, null);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.json().path("request_id").asString()).isEqualTo("outage-1");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");

        var search = api.get("/user/search?first_name=a&last_name=b");
        search.assertError(503, null);
    }
}
