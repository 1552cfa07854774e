package dev.socnet.web;

import java.util.Map;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /actuator/health} on the API port (the one HAProxy publishes): the instance's overall
 * health as Spring Boot's health endpoint computes it, reduced to its status, never its details
 * (versions, disk paths, hosts): 200 {@code {"status": "UP"}}, else 503 {@code {"status": "DOWN"}} (or
 * {@code OUT_OF_SERVICE}, {@code UNKNOWN}). The actuator itself, details, {@code /actuator/prometheus}
 * and {@code /actuator/metrics} included, listens on the loopback management port
 * ({@code management.server.port}); see docs/security.md.
 */
@RestController
class PublicHealth {

    private final HealthEndpoint health;

    PublicHealth(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping(path = "/actuator/health", produces = "application/json")
    ResponseEntity<Map<String, String>> status() {
        Status status = health.health().getStatus();
        return ResponseEntity.status(Status.UP.equals(status) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", status.getCode()));
    }
}
