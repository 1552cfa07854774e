package dev.socnet.dialog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.socnet.idempotency.IdempotencyKey;
import dev.socnet.web.support.ApiException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * How {@link DialogsClient} turns the dialogs service's answers into the gateway's: against a real HTTP
 * server on loopback (the JDK's) that answers as the service would. 400 and 422 pass on with their field
 * and message, 503 and no answer in time are "unavailable" (503 at the gateway), a 401 (secrets differ) or
 * a 500 is the gateway's own error; what the client sends: the caller, the request id, the secret and
 * the idempotency key.
 */
class DialogsClientTest {

    static final String SECRET = "test-gateway-secret";

    HttpServer server;
    /** What the fake service answers next: status and JSON body. */
    volatile int status = 200;
    volatile String body = "[]";
    volatile Duration delay = Duration.ZERO;
    final Map<String, String> headers = new ConcurrentHashMap<>();
    final List<String> paths = new CopyOnWriteArrayList<>();

    DialogsClient client;

    @BeforeEach
    void startService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = client(Duration.ofSeconds(10));
    }

    /** A client of the fake service that waits at most {@code readTimeout} for an answer. */
    private DialogsClient client(Duration readTimeout) {
        var properties = new DialogsProperties(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), SECRET,
                Duration.ofSeconds(2), readTimeout, Duration.ofSeconds(3));
        return new DialogsClient(properties,
                JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build());
    }

    @AfterEach
    void stopService() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 200 && body.equals("replayed")) {
            exchange.getResponseHeaders().set(DialogsClient.REPLAYED_HEADER, "true");
            bytes = new byte[0];
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private void serviceAnswers(int status, String body) {
        this.status = status;
        this.body = body;
    }

    @Test
    void aPageIsReadWithTheCallerTheRequestIdAndTheSecret() {
        UUID caller = UUID.randomUUID();
        UUID peer = UUID.randomUUID();
        UUID message = UUID.randomUUID();
        serviceAnswers(200, """
                [{"from": "%s", "to": "%s", "text": "привет", "id": "%s", "created_at": "2026-01-02T03:04:05Z",
                  "a_field_added_later": 1}]""".formatted(peer, caller, message));

        List<DialogMessage> page = client.page(caller, peer, null, 20, "req-1");

        assertThat(page).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("привет");
            assertThat(m.id()).isEqualTo(message);
            assertThat(m.from()).isEqualTo(peer);
        });
        assertThat(paths).containsExactly("GET /dialogs/" + peer + "/messages?limit=20");
        assertThat(headers).containsEntry("x-user-id", caller.toString()).containsEntry("x-request-id", "req-1")
                .containsEntry("x-gateway-secret", SECRET);
    }

    @Test
    void aSendPassesTheIdempotencyKeyOnAndReportsAReplay() {
        serviceAnswers(200, "replayed");

        boolean replayed = client.send(UUID.randomUUID(), UUID.randomUUID(), "привет", IdempotencyKey.parse("key-1"),
                "req-2");

        assertThat(replayed).isTrue();
        assertThat(headers).containsEntry("idempotency-key", "key-1");
    }

    @Test
    void theServices400PassesOnWithItsFieldAndMessage() {
        serviceAnswers(400, """
                {"message": "text: size must be between 0 and 4096", "request_id": "r", "code": 400, "field": "text"}""");

        assertThatThrownBy(() -> client.send(UUID.randomUUID(), UUID.randomUUID(), "x", null, "r"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("text");
                    assertThat(e.getMessage()).isEqualTo("text: size must be between 0 and 4096");
                });
    }

    @Test
    void aReusedIdempotencyKeyIs422NamingTheHeader() {
        serviceAnswers(422, """
                {"message": "Idempotency-Key: was used for another message", "request_id": "r", "code": 422,
                 "field": "Idempotency-Key"}""");

        assertThatThrownBy(() -> client.send(UUID.randomUUID(), UUID.randomUUID(), "x", IdempotencyKey.parse("k"), "r"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
                    assertThat(e.field()).isEqualTo("Idempotency-Key");
                });
    }

    @Test
    void a400WithoutABodyStillPassesOnAsA400() {
        serviceAnswers(400, "not json");

        assertThatThrownBy(() -> client.page(UUID.randomUUID(), UUID.randomUUID(), null, 5, "r"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.field()).isNull();
                    assertThat(e.getMessage()).isEqualTo("invalid request");
                });
    }

    @Test
    void theServices503IsUnavailable() {
        serviceAnswers(503, """
                {"message": "the dialog database is unavailable, retry later", "request_id": "r", "code": 503}""");

        assertThatThrownBy(() -> client.page(UUID.randomUUID(), UUID.randomUUID(), null, 5, "r"))
                .isInstanceOf(DialogsUnavailableException.class)
                .hasMessageContaining("the dialog database is unavailable");
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsUnavailable() {
        delay = Duration.ofSeconds(4);
        DialogsClient impatient = client(Duration.ofSeconds(1));
        assertThatThrownBy(() -> impatient.page(UUID.randomUUID(), UUID.randomUUID(), null, 5, "r"))
                .isInstanceOf(DialogsUnavailableException.class);
    }

    @Test
    void aServiceThatIsNotThereIsUnavailable() {
        server.stop(0);
        assertThatThrownBy(() -> client.page(UUID.randomUUID(), UUID.randomUUID(), null, 5, "r"))
                .isInstanceOf(DialogsUnavailableException.class)
                .hasMessageContaining("cannot be reached");
    }

    @Test
    void a401MeansTheSecretsDifferAndIsTheGatewaysOwnError() {
        serviceAnswers(401, """
                {"message": "only the socnet gateway may call this service", "request_id": "r", "code": 401}""");

        assertThatThrownBy(() -> client.page(UUID.randomUUID(), UUID.randomUUID(), null, 5, "r"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered 401")
                .isNotInstanceOf(ApiException.class);
    }

    @Test
    void withoutASecretNothingIsSentAndDialogsAreUnavailable() {
        var properties = new DialogsProperties(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), " ",
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3));
        var unconfigured = new DialogsClient(properties, JsonMapper.builder().build());

        assertThatThrownBy(() -> unconfigured.page(UUID.randomUUID(), UUID.randomUUID(), null, 5, "r"))
                .isInstanceOf(DialogsUnavailableException.class)
                .hasMessageContaining("SOCNET_DIALOGS_SECRET");
        assertThat(paths).isEmpty();
    }
}
