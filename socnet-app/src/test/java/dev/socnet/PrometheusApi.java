package dev.socnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP API of the Prometheus that {@code ./socnet up} and {@code ./socnet test} run
 * ({@code http://127.0.0.1:SOCNET_PROMETHEUS_PORT}, docs/observability.md), as system tests read it:
 * instant queries, active alerts, rules and the running configuration. A Prometheus that does not
 * answer, or answers other than 200, fails the test.
 */
public final class PrometheusApi {

    public static final String URL = "http://127.0.0.1:"
            + Optional.ofNullable(System.getenv("SOCNET_PROMETHEUS_PORT")).filter(p -> !p.isBlank()).orElse("19090");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusApi() {
    }

    /** The result vector of an instant query ({@code /api/v1/query}); empty when nothing matches. */
    public static JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
    }

    /**
     * The active alerts ({@code /api/v1/alerts}: pending and firing) named {@code alertname}, each with
     * {@code labels}, {@code state} ("pending" | "firing") and {@code activeAt} (when its expression
     * first held, RFC 3339).
     */
    public static List<JsonNode> alerts(String alertname) {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
            if (alertname.equals(alert.path("labels").path("alertname").asString())) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    /**
     * The alerting rule {@code alertname} as the running Prometheus loaded it: its {@code for:} window
     * ({@code duration}) and its group's evaluation interval.
     *
     * @throws AssertionError when no rule has that name
     */
    public static Rule rule(String alertname) {
        for (JsonNode group : get("/api/v1/rules?type=alert").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (alertname.equals(rule.path("name").asString())) {
                    return new Rule(alertname, seconds(rule.path("duration").asDouble()),
                            seconds(group.path("interval").asDouble()));
                }
            }
        }
        throw new AssertionError("Prometheus has no alerting rule " + alertname + " (ops/prometheus/rules)");
    }

    /**
     * @param name               the alert's name
     * @param forWindow          how long its expression must hold before it fires ({@code for:})
     * @param evaluationInterval how often its group is evaluated
     */
    public record Rule(String name, Duration forWindow, Duration evaluationInterval) {
    }

    /** The global {@code scrape_interval} of the running configuration ({@code /api/v1/status/config}). */
    public static Duration scrapeInterval() {
        String yaml = get("/api/v1/status/config").path("data").path("yaml").asString();
        Matcher m = Pattern.compile("(?m)^\\s+scrape_interval:\\s*(\\d+)(ms|s|m)\\s*$").matcher(yaml);
        assertThat(m.find()).as("global scrape_interval in Prometheus' configuration").isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** GET {@code path} on Prometheus, parsed as JSON. */
    public static JsonNode get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(URL + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("Prometheus %s: %s", path, r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("Prometheus does not answer at " + URL + " (./socnet up and test start it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
