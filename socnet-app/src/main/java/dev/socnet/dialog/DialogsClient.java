package dev.socnet.dialog;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import dev.socnet.idempotency.IdempotencyKey;
import dev.socnet.web.support.ApiException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The socnet-dialogs service's internal API, over HTTP/1.1 with Spring's {@link RestClient} on the
 * JDK {@link HttpClient} (connections kept alive). Each call sends the caller's id
 * ({@code X-User-Id}), the request id ({@code X-Request-Id}) and the shared secret
 * ({@code X-Gateway-Secret}).
 *
 * <p>Errors: the service's 400 and 422 become the same status (field and message passed on); no connection,
 * a timeout ({@code socnet.dialogs.connect-timeout}, {@code read-timeout}) or the service's 503
 * becomes {@link DialogsUnavailableException} (503 at the gateway); anything else (a 401 means the
 * secrets differ) is an {@link IllegalStateException}, a 500, logged.
 */
@Component
class DialogsClient {

    private static final Logger log = LoggerFactory.getLogger(DialogsClient.class);
    private static final ParameterizedTypeReference<List<DialogMessage>> MESSAGES = new ParameterizedTypeReference<>() {
    };

    private final RestClient http;
    private final JsonMapper json;
    private final String secret;

    DialogsClient(DialogsProperties properties, JsonMapper apiJson) {
        // The API's snake_case mapper, but tolerant: the service may add fields to its answers.
        this.json = apiJson.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        var requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build());
        requests.setReadTimeout(properties.readTimeout());
        this.http = RestClient.builder()
                .baseUrl(properties.url().toString())
                .requestFactory(requests)
                .messageConverters(converters -> {
                    converters.removeIf(c -> c instanceof JacksonJsonHttpMessageConverter);
                    converters.add(new JacksonJsonHttpMessageConverter(json));
                })
                .defaultStatusHandler(status -> status.isError(), this::fail)
                .build();
        this.secret = properties.configured() ? properties.secret() : null;
        if (secret == null) {
            log.warn("socnet.dialogs.secret (SOCNET_DIALOGS_SECRET) is not set: /dialog/* will answer 503");
        }
    }

    /**
     * Stores a message from {@code caller} to {@code peer}, once per {@code key} when one is given.
     *
     * @param key the client's Idempotency-Key, passed on as is, or {@code null}
     * @return true when the service answered a repeat of {@code key} (nothing new was stored)
     */
    boolean send(UUID caller, UUID peer, String text, IdempotencyKey key, String requestId) {
        var answer = call(() -> http.post().uri("/dialogs/{peer}/messages", peer)
                .headers(h -> {
                    headers(h, caller, requestId);
                    if (key != null) {
                        h.set(IdempotencyKey.HEADER, key.value());
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("text", text))
                .retrieve()
                .toBodilessEntity());
        return "true".equals(answer.getHeaders().getFirst(REPLAYED_HEADER));
    }

    /** The service's response header on a repeat of an idempotency key. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /**
     * A page of the dialog of {@code caller} and {@code peer}, newest first.
     *
     * @param before a message id (only older messages), or {@code null}
     * @param limit  1..{@link DialogText#MAX_LIMIT}
     */
    List<DialogMessage> page(UUID caller, UUID peer, UUID before, int limit, String requestId) {
        return call(() -> http.get()
                .uri(b -> {
                    b.path("/dialogs/{peer}/messages").queryParam("limit", limit);
                    if (before != null) {
                        b.queryParam("before", before);
                    }
                    return b.build(peer);
                })
                .headers(h -> headers(h, caller, requestId))
                .retrieve()
                .body(MESSAGES));
    }

    private void headers(HttpHeaders headers, UUID caller, String requestId) {
        headers.set("X-User-Id", caller.toString());
        headers.set("X-Request-Id", requestId);
        headers.set("X-Gateway-Secret", secret);
    }

    private <T> T call(Supplier<T> exchange) {
        if (secret == null) {
            throw new DialogsUnavailableException("the dialogs service is not configured (SOCNET_DIALOGS_SECRET)", null);
        }
        try {
            return exchange.get();
        } catch (ResourceAccessException e) {
            throw new DialogsUnavailableException("the dialogs service cannot be reached: " + e.getMessage(), e);
        }
    }

    private void fail(HttpRequest request, ClientHttpResponse response) throws IOException {
        var status = HttpStatus.valueOf(response.getStatusCode().value());
        JsonNode body = readError(response);
        String message = body.path("message").asString("");
        if (status == HttpStatus.BAD_REQUEST || status == HttpStatus.UNPROCESSABLE_CONTENT) {
            // 422: an Idempotency-Key reused for another message
            String field = body.path("field").isString() ? body.path("field").asString() : null;
            throw new ApiException(status, field, message.isEmpty() ? "invalid request" : message);
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            throw new DialogsUnavailableException("the dialogs service is unavailable: " + message, null);
        }
        throw new IllegalStateException("the dialogs service answered " + status.value() + " to "
                + request.getMethod() + " " + request.getURI().getPath() + ": " + message);
    }

    private JsonNode readError(ClientHttpResponse response) {
        try {
            return json.readTree(response.getBody());
        } catch (IOException | RuntimeException e) {
            return json.missingNode();
        }
    }
}
