package dev.socnet.dialogs;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal API, for the socnet gateway only (bound to 127.0.0.1, every request carries
 * {@link GatewaySecretFilter#HEADER}). The gateway has authenticated the caller and names them in
 * {@value #USER_HEADER}; {@code peerId} is the other participant. JSON is snake_case.
 * <ul>
 *   <li>{@code POST /dialogs/{peerId}/messages} {@code {"text": "…"}} → 200 {@link DialogMessage}; with an
 *       {@code Idempotency-Key} header, once per key ({@link IdempotencyKeys}): a repeat answers the
 *       first message with {@value #REPLAYED_HEADER}{@code : true}, another text under the key is a 422</li>
 *   <li>{@code GET /dialogs/{peerId}/messages?limit=50&before=<message id>} → 200 {@code [DialogMessage]},
 *       newest first</li>
 * </ul>
 * Errors: 400 naming the field (text blank or longer than {@value DialogMessage#MAX_TEXT_CHARS},
 * limit outside 1..{@value #MAX_LIMIT}, an id that is not a UUID, a missing {@value #USER_HEADER}),
 * 401 without the gateway secret, 503 with {@code Retry-After} when the dialog database is
 * unreachable. Every error body: {@code {message, request_id, code, field?}}.
 */
@RestController
class DialogController {

    /** Header naming the authenticated user (a UUID), set by the gateway. */
    static final String USER_HEADER = "X-User-Id";

    /** Response header of a send answered from its key's first outcome. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** Default page size. */
    static final int DEFAULT_LIMIT = 50;

    /**
     * Largest page: 100 rows, one statement of one task on one worker (the router planner pushes the
     * whole query, LIMIT included, to the shard).
     */
    static final int MAX_LIMIT = 100;

    /** Body of a send. */
    record NewMessage(@NotBlank @Size(max = DialogMessage.MAX_TEXT_CHARS) String text) {
    }

    private final Dialogs dialogs;

    DialogController(Dialogs dialogs) {
        this.dialogs = dialogs;
    }

    @PostMapping("/dialogs/{peerId}/messages")
    ResponseEntity<DialogMessage> send(@RequestHeader(USER_HEADER) UUID user, @PathVariable UUID peerId,
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody NewMessage message) {
        String key = IdempotencyKeys.parse(idempotencyKey);
        Dialogs.Sent sent = dialogs.send(user, peerId, message.text(), key);
        var response = ResponseEntity.ok();
        if (sent.replayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.body(sent.message());
    }

    @GetMapping("/dialogs/{peerId}/messages")
    List<DialogMessage> page(@RequestHeader(USER_HEADER) UUID user, @PathVariable UUID peerId,
            @RequestParam(required = false) UUID before,
            @RequestParam(defaultValue = "" + DEFAULT_LIMIT) @Min(1) @Max(MAX_LIMIT) int limit) {
        return dialogs.page(user, peerId, before, limit);
    }
}
