package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * What an instance shows on its API port (the one HAProxy publishes) and what only on its loopback
 * management port: the API port answers {@code /actuator/health} with the status alone, and has no
 * metrics, Prometheus scrape or health details; the management port has them all. Both listen on
 * 127.0.0.1 only: a connection to the machine's other addresses is refused.
 */
@IntegrationTest
class ActuatorExposureIT {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    ApiClient api;
    ApiClient management;

    @BeforeEach
    void clients() {
        api = new ApiClient(port);
        management = new ApiClient(managementPort);
    }

    @Test
    void publicHealthSaysUpAndNothingElse() {
        var health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        JsonNode body = health.json();
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(body.propertyNames()).as("no components, details, versions or paths").containsExactly("status");
    }

    @Test
    void metricsAndDetailsAreNotOnTheApiPort() {
        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used",
                "/actuator/health/readiness", "/actuator/health/db", "/actuator/info", "/actuator/env", "/actuator")) {
            api.get(path).assertError(404, null);
        }
    }

    @Test
    void theManagementPortHasMetricsAndDetails() {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(management.get("/actuator/prometheus").body()).contains("http_server_requests");
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(management.get("/actuator/health").json().path("components").has("db")).isTrue();
    }

    @Test
    void bothPortsListenOnLoopbackOnly() throws SocketException {
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
        assumeThat(others).as("this machine has an address other than loopback").isNotEmpty();
        for (InetAddress address : others) {
            for (int p : List.of(port, managementPort)) {
                assertThat(connects(address, p)).as("port %d reachable on %s", p, address.getHostAddress()).isFalse();
            }
        }
        assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
