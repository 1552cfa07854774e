package dev.socnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP client of the integration tests (JDK HttpClient). Every exchange whose path and status the
 * project's OpenAPI document ({@code static/openapi.json}, the contract plus documented extensions)
 * describes is validated against it with Atlassian's swagger-request-validator: a request or a
 * response (status, body, the headers it documents) that breaks the contract fails the test.
 */
public final class ApiClient {

    private static final OpenApiInteractionValidator CONTRACT = OpenApiInteractionValidator
            .createForSpecificationUrl(ApiClient.class.getResource("/static/openapi.json").toString())
            .withLevelResolver(LevelResolver.create()
                    // statuses the contract does not list (405, 413, 415 on GETs…) are ours to choose
                    .withLevel("validation.response.status.unknown", ValidationReport.Level.IGNORE)
                    // actuator and docs paths are not part of the API contract
                    .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                    .build())
            .build();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: status, headers (first value each, lower-case names) and body. */
    public record Response(int status, Map<String, String> headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        /** Asserts the JSON error shape: code, message naming the field, and the request id. */
        public Response assertError(int expectedStatus, String field) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            JsonNode error = json();
            assertThat(error.path("code").asInt()).isEqualTo(expectedStatus);
            assertThat(error.path("message").asString()).isNotBlank();
            assertThat(error.path("request_id").asString()).isEqualTo(header("X-Request-Id"));
            if (field != null) {
                assertThat(error.path("field").asString()).isEqualTo(field);
                assertThat(error.path("message").asString()).startsWith(field);
            }
            return this;
        }
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Response post(String path, Object body, String... headers) {
        return send("POST", path, body instanceof String s ? s : JSON.writeValueAsString(body), headers);
    }

    public Response put(String path, Object body, String... headers) {
        return send("PUT", path, body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body),
                headers);
    }

    /** Sends a request; {@code headers} are name/value pairs. Validates the exchange against the contract. */
    public Response send(String method, String path, String body, String... headers) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        boolean hasContentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
            hasContentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !hasContentType) {
            builder.header("Content-Type", "application/json");
        }
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> responseHeaders.put(k.toLowerCase(), v.getFirst()));
        var result = new Response(response.statusCode(), responseHeaders, response.body());
        validate(method, path, body, headers, result);
        return result;
    }

    private static void validate(String method, String path, String body, String[] headers, Response response) {
        URI uri = URI.create(path);
        var request = new SimpleRequest.Builder(Request.Method.valueOf(method), uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                request.withQueryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.withHeader(headers[i], headers[i + 1]);
        }
        if (body != null) {
            request.withContentType("application/json").withBody(body);
        }
        var resp = SimpleResponse.Builder.status(response.status());
        Optional.ofNullable(response.header("Content-Type")).ifPresent(resp::withContentType);
        // the response headers the document describes (Retry-After of a 429, Idempotent-Replayed) are checked too
        response.headers().forEach((name, value) -> {
            if (!name.equals("content-type")) {
                resp.withHeader(name, value);
            }
        });
        if (response.body() != null && !response.body().isEmpty()) {
            resp.withBody(response.body());
        }
        ValidationReport report = CONTRACT.validate(request.build(), resp.build());
        // Requests that are bad on purpose break the request schema; what must hold is the response.
        var problems = report.getMessages().stream()
                .filter(m -> response.status() >= 400 ? m.getKey().startsWith("validation.response") : true)
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .toList();
        assertThat(problems).as("contract violations of %s %s -> %d %s", method, path, response.status(),
                abbreviate(response.body())).isEmpty();
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 600 ? body : body.substring(0, 600) + "…";
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** URL-encodes a query parameter value. */
    public static String q(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
