package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bad-input matrix of issue 13, shared by its two halves: the {@code @WebMvcTest} slices of each
 * controller (the cases a controller refuses before it calls anything: malformed JSON, wrong types, missing
 * and oversized fields, NUL text, malformed ids, paging out of range, bodies that are not JSON, bad tokens —
 * milliseconds each, no cluster) and {@link BadInputMatrixIT} (the cases only the running system can
 * answer: unknown users and posts, someone else's post, chunked bodies over the limit through the real
 * server, the dialogs service's secret, the WebSocket handshake). Both walk every endpoint and hold each
 * answer to the same rule, {@link #assertCleanError}.
 */
public final class BadRequests {

    /** The JWT secret slices and {@code @IntegrationTest} start the app with. */
    public static final String JWT_SECRET = "integration-tests-secret-at-least-32-bytes-long";

    /** 80 KB of UTF-8 text in a JSON body: over the 64 KiB limit. */
    public static final String TOO_BIG = "{\"text\": \"" + "ж".repeat(40_000) + "\"}";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BadRequests() {
    }

    /** One bad request and what it must get: {@code status}, and the {@code field} blamed (or none). */
    public record Case(String name, String method, String path, Map<String, String> headers, byte[] body,
            boolean chunked, int status, String field) {
    }

    /** What a bad request got. */
    public record Answer(int status, String contentType, String requestIdHeader, String body) {
    }

    /**
     * The rule of the matrix: the case's status (never a 5xx), {@code Content-Type: application/json}, a
     * body {@code {message, request_id, code[, field]}} whose code is the status, whose request id is the
     * {@code X-Request-Id} response header, and which, when the case names a field to blame, names it and
     * starts its message with it.
     */
    public static void assertCleanError(Case c, Answer a) {
        String what = c.method() + " " + abbreviate(c.path()) + " -> " + a.status() + " " + abbreviate(a.body());
        assertThat(a.status()).as("never a 5xx: %s", what).isLessThan(500);
        assertThat(a.status()).as(what).isEqualTo(c.status());
        assertThat(a.contentType()).as(what).isNotNull().startsWith("application/json");
        JsonNode error = JSON.readTree(a.body());
        assertThat(error.path("code").asInt()).as(what).isEqualTo(c.status());
        assertThat(error.path("message").asString()).as(what).isNotBlank();
        assertThat(error.path("request_id").asString()).as(what).isNotBlank().isEqualTo(a.requestIdHeader());
        if (c.field() != null) {
            assertThat(error.path("field").asString()).as(what).isEqualTo(c.field());
            assertThat(error.path("message").asString()).as(what).startsWith(c.field());
        }
    }

    /** The cases as dynamic tests against a {@code @WebMvcTest} slice. */
    public static Stream<DynamicTest> inSlice(MockMvc mvc, List<Case> cases) {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertCleanError(c, perform(mvc, c))));
    }

    /** Sends {@code c} through the slice's filters (request id, body size, security) and dispatcher. */
    public static Answer perform(MockMvc mvc, Case c) throws Exception {
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.valueOf(c.method()),
                URI.create(c.path())); // as sent: not a URI template, which would escape the % of "%00" again
        c.headers().forEach(request::header);
        if (c.body() != null) {
            request.content(c.body());
        }
        MvcResult result = mvc.perform(request).andReturn();
        var response = result.getResponse();
        return new Answer(response.getStatus(), response.getContentType(), response.getHeader("X-Request-Id"),
                response.getContentAsString(StandardCharsets.UTF_8));
    }

    public static Case post(String name, String path, Map<String, String> headers, String body, int status, String field) {
        return raw(name, "POST", path, with(headers, "Content-Type", "application/json"), body, false, status, field);
    }

    public static Case get(String name, String path, Map<String, String> headers, int status, String field) {
        return raw(name, "GET", path, headers, (byte[]) null, false, status, field);
    }

    public static Case raw(String name, String method, String path, Map<String, String> headers, String body,
            boolean chunked, int status, String field) {
        return raw(name, method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), chunked,
                status, field);
    }

    public static Case raw(String name, String method, String path, Map<String, String> headers, byte[] body,
            boolean chunked, int status, String field) {
        return new Case(name, method, path, headers, body, chunked, status, field);
    }

    public static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** {@code headers} and one more. */
    public static Map<String, String> with(Map<String, String> headers, String name, String value) {
        var all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return all;
    }

    /** A valid token of {@code userId}, signed with {@link #JWT_SECRET}, 10 minutes left. */
    public static String token(UUID userId) {
        return signed(userId.toString(), JWT_SECRET, Instant.now().plusSeconds(600));
    }

    /** A JWT with {@code "alg": "none"} and no signature (RFC 7519 §6, the "unsecured JWT"). */
    public static String unsigned(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"socnet\",\"sub\":\"" + subject + "\",\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    /** An HS256 JWT of issuer {@code socnet} signed with {@code secret}. */
    public static String signed(String subject, String secret, Instant expiresAt) {
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .issuer("socnet").subject(subject).issueTime(Date.from(expiresAt.minusSeconds(3600)))
                    .expirationTime(Date.from(expiresAt)).build());
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
