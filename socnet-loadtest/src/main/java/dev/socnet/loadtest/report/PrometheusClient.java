package dev.socnet.loadtest.report;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads series from Prometheus' HTTP API ({@code POST /api/v1/query_range}, form-encoded), with the JDK's
 * {@link HttpClient} and Jackson.
 *
 * <p>Used by the benchmarks to take the server side's figures over a run's window (CPU per component,
 * statements per node, cache hit ratio, fan-out lag) from the project's Prometheus
 * ({@code http://127.0.0.1:19090}, scripts/lib/monitoring.sh) instead of reading /proc or the databases
 * themselves.
 */
public final class PrometheusClient {

    /** Per request: Prometheus answers a range query of a benchmark's window in milliseconds. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final HttpClient http;

    /**
     * One sample of a series.
     *
     * @param epochS evaluation time, seconds since the epoch (UTC)
     * @param value the value; {@link Double#NaN} for Prometheus' {@code "NaN"} (for example 0/0 in a ratio)
     */
    public record Sample(double epochS, double value) {
    }

    /**
     * One series of a range query's result.
     *
     * @param labels its labels ({@code __name__} included when the expression keeps it), in Prometheus' order
     * @param samples its samples, oldest first; evaluation steps without a value are absent
     */
    public record Series(Map<String, String> labels, List<Sample> samples) {
    }

    /** An error answer of Prometheus (bad expression, timeout) or an answer that is not its JSON. */
    public static final class PrometheusException extends IOException {
        PrometheusException(String message) {
            super(message);
        }
    }

    /**
     * @param baseUrl Prometheus' base URL, for example {@code http://127.0.0.1:19090}
     */
    public PrometheusClient(URI baseUrl) {
        String text = baseUrl.toString();
        this.baseUrl = URI.create(text.endsWith("/") ? text : text + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Evaluates {@code promql} at every {@code step} from {@code start} to {@code end} (both included).
     *
     * @param promql a PromQL expression whose result is an instant vector
     * @param start first evaluation time
     * @param end last evaluation time, not before {@code start}
     * @param step time between evaluations, at least 1 s
     * @return one series per label set the expression yields, in Prometheus' order; empty when nothing matched
     * @throws PrometheusException if Prometheus answers with an error (status and its {@code errorType}/{@code error})
     * @throws IOException if Prometheus cannot be reached
     * @throws IllegalArgumentException if {@code end} is before {@code start} or {@code step} is under 1 s
     */
    public List<Series> queryRange(String promql, Instant start, Instant end, Duration step) throws IOException {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        if (step.toSeconds() < 1) {
            throw new IllegalArgumentException("step must be at least 1 s, got " + step);
        }
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=" + step.toSeconds() + "s";
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("api/v1/query_range"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying " + request.uri(), e);
        }
        try {
            return parseMatrix(response.body());
        } catch (PrometheusException e) {
            throw new PrometheusException("HTTP " + response.statusCode() + " for " + promql + ": " + e.getMessage());
        }
    }

    /**
     * Parses the JSON body of a range query's answer: {@code {"status": "success", "data": {"resultType":
     * "matrix", "result": [{"metric": {...}, "values": [[epoch, "value"], ...]}, ...]}}}.
     *
     * @param body the answer's body
     * @return its series
     * @throws PrometheusException if the body is not JSON, reports an error, or holds no matrix
     */
    static List<Series> parseMatrix(String body) throws PrometheusException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new PrometheusException("not Prometheus' JSON: " + abbreviate(body));
        }
        if (!"success".equals(root.path("status").asString(""))) {
            throw new PrometheusException(root.path("errorType").asString("no status") + ": "
                    + root.path("error").asString(abbreviate(body)));
        }
        JsonNode data = root.path("data");
        if (!"matrix".equals(data.path("resultType").asString(""))) {
            throw new PrometheusException("expected a matrix, got resultType " + data.path("resultType"));
        }
        List<Series> series = new ArrayList<>();
        for (JsonNode result : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            result.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
            List<Sample> samples = new ArrayList<>();
            for (JsonNode pair : result.path("values")) {
                samples.add(new Sample(pair.get(0).asDouble(), value(pair.get(1).asString())));
            }
            series.add(new Series(Map.copyOf(labels), List.copyOf(samples)));
        }
        return List.copyOf(series);
    }

    /** Prometheus writes sample values as strings, with NaN and ±Inf spelled its way. */
    static double value(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "+inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
