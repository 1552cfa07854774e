package dev.socnet.dialogs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's internal API as the gateway calls it (JDK HttpClient, HTTP/1.1), for the tests: every
 * request carries the gateway secret unless a test overrides the headers.
 */
final class InternalApi {

    /** The secret the tests start the service with. */
    static final String SECRET = "integration-tests-gateway-secret-0123456789";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    InternalApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Status, headers (first value, lower-case names) and body of an answer. */
    record Response(int status, Map<String, String> headers, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    Response send(UUID user, UUID peer, String text) {
        return exchange("POST", "/dialogs/" + peer + "/messages",
                JSON.writeValueAsString(Map.of("text", text)), headers(user));
    }

    Response page(UUID user, UUID peer, String query) {
        return exchange("GET", "/dialogs/" + peer + "/messages" + query, null, headers(user));
    }

    private static String[] headers(UUID user) {
        return new String[] {"X-Gateway-Secret", SECRET, "X-User-Id", user.toString()};
    }

    /** Any request; {@code headers} are name/value pairs, sent as given. Read timeout 10 s, as the gateway's. */
    Response exchange(String method, String path, String body, String... headers) {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> names = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> names.put(k.toLowerCase(), v.getFirst()));
            return new Response(response.statusCode(), names, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
