package dev.socnet.web;

import static dev.socnet.web.BadRequests.bearer;
import static dev.socnet.web.BadRequests.get;
import static dev.socnet.web.BadRequests.post;
import static dev.socnet.web.BadRequests.raw;
import static dev.socnet.web.BadRequests.with;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.SocialApiIntegration;
import dev.socnet.web.BadRequests.Answer;
import dev.socnet.web.BadRequests.Case;

/**
 * The system half of the bad-input matrix (issue 13; {@link BadRequests}): the bad requests only the running
 * app can answer (unknown users and posts, someone else's post, chunked bodies over the limit through the
 * real server, the WebSocket handshake), and direct calls to the dialogs service without the gateway's
 * secret. The other 70 (malformed JSON, wrong types, missing fields, oversized and NUL text, invalid UUIDs,
 * forged, foreign and expired tokens, out-of-range paging, bodies that are not JSON) run in each module's
 * web slice ({@code *BadInputTest}) under {@code ./mvnw test}; both halves run in {@code ./socnet test}.
 *
 * <p>The matrix as a whole: bad requests over every endpoint — malformed JSON, wrong types,
 * missing fields, oversized and NUL text, invalid and unknown UUIDs, forged, foreign and expired
 * tokens, out-of-range paging, bodies that are not JSON, chunked bodies over the limit, and direct
 * calls to the dialogs service without the gateway's secret. Each must get its 4xx with the JSON error
 * body ({@code message}, {@code code}, the request id of the {@code X-Request-Id} header, and the field
 * when one is to blame) — never a 5xx, never an HTML page or an empty body.
 */
@IntegrationTest
class BadInputMatrixIT extends SocialApiIntegration {

    /** The secret {@link IntegrationTest} starts the app with. */
    static final String JWT_SECRET = BadRequests.JWT_SECRET;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Account anna;
    Account boris;
    String annasPost;

    @BeforeEach
    void accounts() {
        anna = social.register("Анна");
        boris = social.register("Борис");
        annasPost = social.post(anna, "пост Анны");
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsAClean4xxWithTheJsonErrorBody() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, port)));
    }

    @TestFactory
    Stream<DynamicTest> theDialogsServiceServesNoOneWithoutTheGatewaySecret() {
        int dialogs = Integer.parseInt(System.getenv().getOrDefault("SOCNET_DIALOGS_PORT", "18090"));
        String path = "/dialogs/" + boris.id() + "/messages";
        Map<String, String> user = Map.of("X-User-Id", anna.id());
        Map<String, String> wrong = Map.of("X-User-Id", anna.id(), "X-Gateway-Secret", "x".repeat(64));
        return Stream.of(
                new Case("dialogs service: GET without the secret", "GET", path, user, null, false, 401, null),
                new Case("dialogs service: GET with a wrong secret", "GET", path, wrong, null, false, 401, null),
                new Case("dialogs service: POST without the secret", "POST", path, user, "{\"text\": \"взлом\"}".getBytes(StandardCharsets.UTF_8),
                        false, 401, null),
                new Case("dialogs service: POST with a wrong secret", "POST", path, wrong, "{\"text\": \"взлом\"}".getBytes(StandardCharsets.UTF_8),
                        false, 401, null),
                // /actuator/prometheus is open on the service's loopback port for Prometheus (decision 0012);
                // every other actuator path still needs the secret
                new Case("dialogs service: actuator metrics without the secret", "GET", "/actuator/metrics", Map.of(), null,
                        false, 401, null),
                new Case("dialogs service: a wrong secret of another length", "GET", path,
                        Map.of("X-User-Id", anna.id(), "X-Gateway-Secret", "short"), null, false, 401, null))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, dialogs)));
    }

    /**
     * The cases only the running system can answer. The rest of the matrix (what a controller refuses before
     * it calls anything) runs in the web slices, *BadInputTest of each module, under {@code ./mvnw test}.
     */
    private List<Case> cases() {
        List<Case> c = new ArrayList<>();
        Map<String, String> none = Map.of();
        Map<String, String> auth = bearer(anna.token());
        String unknown = UUID.randomUUID().toString();
        String big = BadRequests.TOO_BIG;

        // what needs the database: users and posts that do not exist, someone else's post
        c.add(post("login: unknown user", "/login", none, "{\"id\": \"" + unknown + "\", \"password\": \"secret1\"}",
                404, null));
        c.add(get("user/get: a UUID of no user", "/user/get/" + unknown, none, 404, null));
        c.add(raw("friend/set: a UUID of no user", "PUT", "/friend/set/" + unknown, auth, (byte[]) null, false, 404,
                null));
        c.add(raw("post/update: a post that does not exist", "PUT", "/post/update",
                with(auth, "Content-Type", "application/json"), "{\"id\": \"" + unknown + "\", \"text\": \"x\"}", false,
                404, null));
        c.add(raw("post/update: someone else's post", "PUT", "/post/update",
                with(bearer(boris.token()), "Content-Type", "application/json"),
                "{\"id\": \"" + annasPost + "\", \"text\": \"x\"}", false, 403, null));
        c.add(raw("post/delete: someone else's post", "PUT", "/post/delete/" + annasPost, bearer(boris.token()),
                (byte[]) null, false, 403, null));
        c.add(get("post/get: a post that does not exist", "/post/get/" + unknown, none, 404, null));
        c.add(post("dialog/send: a UUID of no user", "/dialog/" + unknown + "/send", auth, "{\"text\": \"x\"}", 404,
                null));
        c.add(get("dialog/list: a UUID of no user", "/dialog/" + unknown + "/list", auth, 404, null));

        // what needs the real server: chunked bodies (no Content-Length) counted while they are read, bytes
        // as Tomcat decodes them, content negotiation of a real response, the WebSocket handshake
        c.add(raw("register: chunked body over 64 KiB", "POST", "/user/register",
                Map.of("Content-Type", "application/json"), big, true, 413, null));
        c.add(raw("post/create: chunked body over 64 KiB", "POST", "/post/create",
                with(auth, "Content-Type", "application/json"), big, true, 413, null));
        c.add(raw("dialog/send: chunked body over 64 KiB", "POST", "/dialog/" + boris.id() + "/send",
                with(auth, "Content-Type", "application/json"), big, true, 413, null));
        c.add(post("register: body over 64 KiB", "/user/register", none, big, 413, null));
        c.add(raw("register: bytes that are not UTF-8", "POST", "/user/register",
                Map.of("Content-Type", "application/json"), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                false, 400, null));
        c.add(raw("register: no Content-Type", "POST", "/user/register", Map.of(), "{}", false, 415, null));
        c.add(get("an Accept the API cannot answer", "/user/get/" + anna.id(), Map.of("Accept", "application/xml"), 406,
                null));
        // an escaped blank as the id: decoded by the real server (MockMvc's request refuses it without a body)
        c.add(get("post/get: id an escaped blank", "/post/get/%20", none, 400, "id"));
        c.add(get("the live feed without a token", "/post/feed/posted", none, 401, null));
        c.add(get("the live feed with an expired token", "/post/feed/posted",
                bearer(BadRequests.signed(anna.id(), JWT_SECRET, Instant.now().minusSeconds(60))), 401, null));

        // the whole chain once more end to end: a token refused, a path unknown, a method not taken
        c.add(raw("token: expired", "PUT", "/friend/set/" + boris.id(),
                bearer(BadRequests.signed(anna.id(), JWT_SECRET, Instant.now().minusSeconds(60))), (byte[]) null, false,
                401, null));
        c.add(get("an unknown path, without a token", "/admin", none, 401, null));
        c.add(get("an unknown path", "/admin", auth, 404, null));
        c.add(raw("a method the path does not take", "DELETE", "/user/get/" + anna.id(), auth, (byte[]) null, false,
                405, null));
        return c;
    }

    private void check(Case c, int port) throws IOException, InterruptedException {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path()))
                .timeout(Duration.ofSeconds(30));
        c.headers().forEach(builder::header);
        HttpRequest.BodyPublisher body;
        if (c.body() == null) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (c.chunked()) {
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body())); // no length: chunked
        } else {
            body = HttpRequest.BodyPublishers.ofByteArray(c.body());
        }
        HttpResponse<String> response = http.send(builder.method(c.method(), body).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        BadRequests.assertCleanError(c, new Answer(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue("X-Request-Id").orElse(null), response.body()));
    }
}
