package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.SocialApiIntegration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bad-input matrix (issue 13): bad requests over every endpoint — malformed JSON, wrong types,
 * missing fields, oversized and NUL text, invalid and unknown UUIDs, forged, foreign and expired
 * tokens, out-of-range paging, bodies that are not JSON, chunked bodies over the limit, and direct
 * calls to the dialogs service without the gateway's secret. Each must get its 4xx with the JSON error
 * body ({@code message}, {@code code}, the request id of the {@code X-Request-Id} header, and the field
 * when one is to blame) — never a 5xx, never an HTML page or an empty body.
 */
@IntegrationTest
class BadInputMatrixIT extends SocialApiIntegration {

    /** The secret {@link IntegrationTest} starts the app with. */
    static final String JWT_SECRET = "integration-tests-secret-at-least-32-bytes-long";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Account anna;
    Account boris;
    String annasPost;

    /** One bad request and what it must get. */
    record Case(String name, String method, String path, Map<String, String> headers, byte[] body, boolean chunked,
            int status, String field) {
    }

    @BeforeEach
    void accounts() {
        anna = social.register("Анна");
        boris = social.register("Борис");
        annasPost = social.post(anna, "пост Анны");
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsAClean4xxWithTheJsonErrorBody() {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, port)));
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
                new Case("dialogs service: POST without the secret", "POST", path, user, json("{\"text\": \"взлом\"}"),
                        false, 401, null),
                new Case("dialogs service: POST with a wrong secret", "POST", path, wrong, json("{\"text\": \"взлом\"}"),
                        false, 401, null),
                // /actuator/prometheus is open on the service's loopback port for Prometheus (decision 0012);
                // every other actuator path still needs the secret
                new Case("dialogs service: actuator metrics without the secret", "GET", "/actuator/metrics", Map.of(), null,
                        false, 401, null),
                new Case("dialogs service: a wrong secret of another length", "GET", path,
                        Map.of("X-User-Id", anna.id(), "X-Gateway-Secret", "short"), null, false, 401, null))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, dialogs)));
    }

    private List<Case> cases() {
        List<Case> c = new ArrayList<>();
        Map<String, String> none = Map.of();
        Map<String, String> auth = bearer(anna.token());
        String unknown = UUID.randomUUID().toString();
        String big = "{\"text\": \"" + "ж".repeat(40_000) + "\"}"; // 80 KB of UTF-8: over the 64 KiB limit

        // /login
        c.add(post("login: malformed JSON", "/login", none, "{\"id\": ", 400, null));
        c.add(post("login: id of a wrong type", "/login", none, "{\"id\": 42, \"password\": \"secret1\"}", 400, "id"));
        c.add(post("login: password missing", "/login", none, "{\"id\": \"" + anna.id() + "\"}", 400, "password"));
        c.add(post("login: id not a UUID", "/login", none, "{\"id\": \"anna\", \"password\": \"secret1\"}", 400, "id"));
        c.add(post("login: unknown user", "/login", none, "{\"id\": \"" + unknown + "\", \"password\": \"secret1\"}",
                404, null));
        c.add(post("login: NUL in the password", "/login", none,
                "{\"id\": \"" + anna.id() + "\", \"password\": \"sec\\u0000ret\"}", 400, "password"));
        c.add(raw("login: text/plain body", "POST", "/login", Map.of("Content-Type", "text/plain"),
                "id=" + anna.id(), false, 415, null));
        c.add(post("login: a JSON array", "/login", none, "[]", 400, null));
        c.add(post("login: JSON null", "/login", none, "null", 400, null));

        // /user/register
        c.add(post("register: malformed JSON", "/user/register", none, "{\"first_name\": \"Иван\",", 400, null));
        c.add(post("register: first_name missing", "/user/register", none,
                "{\"second_name\": \"Петров\", \"password\": \"secret1\"}", 400, "first_name"));
        c.add(post("register: birthdate of a wrong type", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"birthdate\": 19900101}",
                400, "birthdate"));
        c.add(post("register: first_name over 100 characters", "/user/register", none,
                "{\"first_name\": \"" + "И".repeat(101) + "\", \"second_name\": \"Петров\", \"password\": \"secret1\"}",
                400, "first_name"));
        c.add(post("register: NUL in the biography", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"biography\": \"a\\u0000b\"}",
                400, "biography"));
        c.add(post("register: an unpaired surrogate in the city", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"city\": \"\\ud800\"}",
                400, "city"));
        c.add(post("register: unknown field", "/user/register", none,
                "{\"first_name\": \"Иван\", \"second_name\": \"Петров\", \"password\": \"secret1\", \"role\": \"admin\"}",
                400, "role"));
        c.add(post("register: body over 64 KiB", "/user/register", none, big, 413, null));
        c.add(raw("register: chunked body over 64 KiB", "POST", "/user/register",
                Map.of("Content-Type", "application/json"), big, true, 413, null));
        c.add(raw("register: application/xml body", "POST", "/user/register", Map.of("Content-Type", "application/xml"),
                "<user/>", false, 415, null));
        c.add(raw("register: no Content-Type", "POST", "/user/register", Map.of(), "{}", false, 415, null));
        c.add(post("register: nested 1,000 levels deep", "/user/register", none,
                "{\"first_name\": " + "[".repeat(1000) + "]".repeat(1000) + "}", 400, null));
        c.add(raw("register: bytes that are not UTF-8", "POST", "/user/register",
                Map.of("Content-Type", "application/json"), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                false, 400, null));

        // /user/get, /user/search
        c.add(get("user/get: id not a UUID", "/user/get/not-a-uuid", none, 400, "id"));
        c.add(get("user/get: a UUID of no user", "/user/get/" + unknown, none, 404, null));
        c.add(get("user/get: a short UUID form", "/user/get/1-1-1-1-1", none, 400, "id"));
        c.add(get("user/search: last_name missing", "/user/search?first_name=%D0%98", none, 400, "last_name"));
        c.add(get("user/search: NUL in first_name", "/user/search?first_name=%00&last_name=%D0%98", none, 400,
                "first_name"));
        c.add(get("user/search: first_name over 100 characters",
                "/user/search?first_name=" + "a".repeat(101) + "&last_name=b", none, 400, "first_name"));

        // tokens
        c.add(raw("token: alg=none", "PUT", "/friend/set/" + boris.id(), bearer(unsigned(anna.id())), (byte[]) null,
                false, 401, null));
        c.add(raw("token: signed with another key", "PUT", "/friend/set/" + boris.id(),
                bearer(signed(anna.id(), "another-secret-that-is-at-least-32-bytes!", Instant.now().plusSeconds(600))),
                (byte[]) null, false, 401, null));
        c.add(raw("token: expired", "PUT", "/friend/set/" + boris.id(),
                bearer(signed(anna.id(), JWT_SECRET, Instant.now().minusSeconds(60))), (byte[]) null, false, 401, null));
        c.add(raw("token: our key, but its sub is not a user id", "PUT", "/friend/set/" + boris.id(),
                bearer(signed("admin", JWT_SECRET, Instant.now().plusSeconds(600))), (byte[]) null, false, 401, null));
        c.add(raw("token: not a JWT", "PUT", "/friend/set/" + boris.id(), bearer("not.a.token"), (byte[]) null, false,
                401, null));
        c.add(raw("token: none", "POST", "/post/create", Map.of("Content-Type", "application/json"),
                "{\"text\": \"x\"}", false, 401, null));
        c.add(raw("token: Basic instead of Bearer", "GET", "/post/feed", Map.of("Authorization", "Basic YTpi"),
                (byte[]) null, false, 401, null));

        // /friend
        c.add(raw("friend/set: user_id not a UUID", "PUT", "/friend/set/not-a-uuid", auth, (byte[]) null, false, 400,
                "user_id"));
        c.add(raw("friend/set: a UUID of no user", "PUT", "/friend/set/" + unknown, auth, (byte[]) null, false, 404,
                null));
        c.add(raw("friend/delete: user_id not a UUID", "PUT", "/friend/delete/42", auth, (byte[]) null, false, 400,
                "user_id"));

        // /post
        c.add(post("post/create: text of a wrong type", "/post/create", auth, "{\"text\": 42}", 400, "text"));
        c.add(post("post/create: text missing", "/post/create", auth, "{}", 400, "text"));
        c.add(post("post/create: text over 5000 characters", "/post/create", auth,
                "{\"text\": \"" + "x".repeat(5001) + "\"}", 400, "text"));
        c.add(post("post/create: NUL in the text", "/post/create", auth, "{\"text\": \"a\\u0000b\"}", 400, "text"));
        c.add(raw("post/create: form-encoded body", "POST", "/post/create",
                with(auth, "Content-Type", "application/x-www-form-urlencoded"), "text=hello", false, 415, null));
        c.add(raw("post/create: chunked body over 64 KiB", "POST", "/post/create",
                with(auth, "Content-Type", "application/json"), big, true, 413, null));
        c.add(raw("post/create: malformed Idempotency-Key", "POST", "/post/create",
                with(with(auth, "Content-Type", "application/json"), "Idempotency-Key", "two words"), "{\"text\": \"x\"}",
                false, 400, "Idempotency-Key"));
        c.add(raw("post/update: id not a UUID", "PUT", "/post/update", with(auth, "Content-Type", "application/json"),
                "{\"id\": \"p1\", \"text\": \"x\"}", false, 400, "id"));
        c.add(raw("post/update: a post that does not exist", "PUT", "/post/update",
                with(auth, "Content-Type", "application/json"), "{\"id\": \"" + unknown + "\", \"text\": \"x\"}", false,
                404, null));
        c.add(raw("post/update: someone else's post", "PUT", "/post/update",
                with(bearer(boris.token()), "Content-Type", "application/json"),
                "{\"id\": \"" + annasPost + "\", \"text\": \"x\"}", false, 403, null));
        c.add(raw("post/delete: id not a UUID", "PUT", "/post/delete/abc", auth, (byte[]) null, false, 400, "id"));
        c.add(get("post/get: a post that does not exist", "/post/get/" + unknown, none, 404, null));
        c.add(get("post/get: id not a UUID", "/post/get/%20", none, 400, "id"));
        c.add(get("post/feed: negative offset", "/post/feed?offset=-1", auth, 400, "offset"));
        c.add(get("post/feed: limit 0", "/post/feed?limit=0", auth, 400, "limit"));
        c.add(get("post/feed: limit over 1000", "/post/feed?limit=1001", auth, 400, "limit"));
        c.add(get("post/feed: a fractional limit", "/post/feed?limit=1.5", auth, 400, "limit"));
        c.add(get("post/feed: offset not a number", "/post/feed?offset=ten", auth, 400, "offset"));
        c.add(get("post/feed: limit beyond int", "/post/feed?limit=1e100", auth, 400, "limit"));

        // /dialog
        c.add(post("dialog/send: user_id not a UUID", "/dialog/not-a-uuid/send", auth, "{\"text\": \"x\"}", 400,
                "user_id"));
        c.add(post("dialog/send: a UUID of no user", "/dialog/" + unknown + "/send", auth, "{\"text\": \"x\"}", 404,
                null));
        c.add(post("dialog/send: text over 4096 characters", "/dialog/" + boris.id() + "/send", auth,
                "{\"text\": \"" + "x".repeat(4097) + "\"}", 400, "text"));
        c.add(post("dialog/send: text of a wrong type", "/dialog/" + boris.id() + "/send", auth, "{\"text\": [1]}", 400,
                "text"));
        c.add(raw("dialog/send: chunked body over 64 KiB", "POST", "/dialog/" + boris.id() + "/send",
                with(auth, "Content-Type", "application/json"), big, true, 413, null));
        c.add(get("dialog/list: limit 0", "/dialog/" + boris.id() + "/list?limit=0", auth, 400, "limit"));
        c.add(get("dialog/list: before not a UUID", "/dialog/" + boris.id() + "/list?before=yesterday", auth, 400,
                "before"));

        // anything else
        // a path that needs no token answers as it is; any other needs one first (no probing without it)
        c.add(get("an unknown path, without a token", "/admin", none, 401, null));
        c.add(get("an unknown path", "/admin", auth, 404, null));
        c.add(raw("a method the path does not take, without a token", "DELETE", "/user/get/" + anna.id(), none,
                (byte[]) null, false, 401, null));
        c.add(raw("a method the path does not take", "DELETE", "/user/get/" + anna.id(), auth, (byte[]) null, false,
                405, null));
        c.add(get("an Accept the API cannot answer", "/user/get/" + anna.id(), Map.of("Accept", "application/xml"), 406,
                null));
        c.add(get("the live feed without a token", "/post/feed/posted", none, 401, null));
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
        String what = c.method() + " " + abbreviate(c.path()) + " -> " + response.statusCode() + " " + abbreviate(response.body());
        assertThat(response.statusCode()).as("never a 5xx: %s", what).isLessThan(500);
        assertThat(response.statusCode()).as(what).isEqualTo(c.status());
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("code").asInt()).as(what).isEqualTo(c.status());
        assertThat(error.path("message").asString()).as(what).isNotBlank();
        assertThat(error.path("request_id").asString()).as(what).isNotBlank()
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElse(null));
        if (c.field() != null) {
            assertThat(error.path("field").asString()).as(what).isEqualTo(c.field());
            assertThat(error.path("message").asString()).as(what).startsWith(c.field());
        }
    }

    private static Case post(String name, String path, Map<String, String> headers, String body, int status, String field) {
        return raw(name, "POST", path, with(headers, "Content-Type", "application/json"), body, false, status, field);
    }

    private static Case get(String name, String path, Map<String, String> headers, int status, String field) {
        return raw(name, "GET", path, headers, (byte[]) null, false, status, field);
    }

    private static Case raw(String name, String method, String path, Map<String, String> headers, String body,
            boolean chunked, int status, String field) {
        return raw(name, method, path, headers, json(body), chunked, status, field);
    }

    private static Case raw(String name, String method, String path, Map<String, String> headers, byte[] body,
            boolean chunked, int status, String field) {
        return new Case(name, method, path, headers, body, chunked, status, field);
    }

    private static byte[] json(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        var all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return all;
    }

    /** A JWT with {@code "alg": "none"} and no signature (RFC 7519 §6, the "unsecured JWT"). */
    private static String unsigned(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"socnet\",\"sub\":\"" + subject + "\",\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    /** An HS256 JWT signed with {@code secret}. */
    private static String signed(String subject, String secret, Instant expiresAt) {
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .issuer("socnet").subject(subject).issueTime(java.util.Date.from(expiresAt.minusSeconds(3600)))
                    .expirationTime(java.util.Date.from(expiresAt)).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
