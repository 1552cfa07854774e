package dev.socnet.dialog;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.socnet.idempotency.IdempotencyKey;
import dev.socnet.ratelimit.UserLimit;
import dev.socnet.ratelimit.UserRateLimits;
import dev.socnet.user.UserDirectory;
import dev.socnet.web.support.ApiError;
import dev.socnet.web.support.ApiException;
import dev.socnet.web.Ids;
import dev.socnet.web.support.RequestId;

/**
 * {@code POST /dialog/{user_id}/send} and {@code GET /dialog/{user_id}/list}: the caller (the JWT's
 * {@code sub}) and {@code user_id} are the dialog's two participants (the same user is allowed); both
 * see the same dialog. Sending answers 200 with an empty body. The list is newest first, at most
 * {@code limit} messages (1..{@value DialogText#MAX_LIMIT}, default {@value DialogText#DEFAULT_LIMIT}),
 * and with {@code before} (a message id from an earlier page) only messages older than it.
 *
 * <p>Errors: 400 naming the field (text missing, blank or longer than {@value DialogText#MAX_CHARS}
 * characters; user_id or before not a UUID; limit out of range), 401 without a valid token, 404 when
 * no user has the id {@code user_id}, 503 with {@code Retry-After} when the dialogs service (or its
 * database) is unavailable, 429 with {@code Retry-After} when the caller used up the
 * {@link UserLimit#DIALOG_MESSAGES} limit ({@code socnet.rate-limits.limits.dialog-messages}; the send is
 * then not forwarded).
 *
 * <p>A send takes an optional {@code Idempotency-Key} header ({@link IdempotencyKey}), forwarded to the
 * service, which keeps it with the dialog: a repeat with the same key and text within 24 h stores
 * nothing and answers 200 again (with {@value #REPLAYED_HEADER}{@code : true}); the same key with
 * another text is a 422 naming the header. So a client may resend after a 503 from the gateway's read
 * timeout without duplicating a message that was in fact stored.
 */
@RestController
class DialogController {

    private static final Logger log = LoggerFactory.getLogger(DialogController.class);

    /** Body of /dialog/{user_id}/send. */
    record NewMessage(@NotBlank @Size(max = DialogText.MAX_CHARS) String text) {
    }

    /** Response header of a repeat answered from its key's first outcome. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final DialogsClient dialogs;
    private final UserDirectory users;
    private final DialogsProperties properties;
    private final UserRateLimits limits;

    DialogController(DialogsClient dialogs, UserDirectory users, DialogsProperties properties, UserRateLimits limits) {
        this.dialogs = dialogs;
        this.users = users;
        this.properties = properties;
        this.limits = limits;
    }

    @PostMapping("/dialog/{user_id}/send")
    ResponseEntity<Void> send(@AuthenticationPrincipal Jwt caller, @PathVariable("user_id") String userId,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody NewMessage message, HttpServletRequest request) {
        IdempotencyKey key = IdempotencyKey.parse(idempotencyKey);
        UUID peer = peer(userId);
        limits.acquire(UserLimit.DIALOG_MESSAGES, userId(caller));
        boolean replayed = dialogs.send(userId(caller), peer, message.text(), key, RequestId.of(request));
        var response = ResponseEntity.ok();
        if (replayed) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.build();
    }

    @GetMapping("/dialog/{user_id}/list")
    List<DialogMessage> list(@AuthenticationPrincipal Jwt caller, @PathVariable("user_id") String userId,
            @RequestParam(required = false) String before,
            @RequestParam(defaultValue = "" + DialogText.DEFAULT_LIMIT) @Min(1) @Max(DialogText.MAX_LIMIT) int limit,
            HttpServletRequest request) {
        UUID cursor = before == null ? null : Ids.parse("before", before);
        return dialogs.page(userId(caller), peer(userId), cursor, limit, RequestId.of(request));
    }

    @ExceptionHandler(DialogsUnavailableException.class)
    ResponseEntity<ApiError> unavailable(DialogsUnavailableException e, HttpServletRequest request) {
        log.warn("dialogs unavailable: {}", e.getMessage());
        var status = HttpStatus.SERVICE_UNAVAILABLE;
        return ResponseEntity.status(status)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError("dialogs are unavailable, retry later", RequestId.of(request), status.value(), null));
    }

    /** @throws ApiException 400 when not a UUID, 404 when no such user */
    private UUID peer(String userId) {
        UUID peer = Ids.parse("user_id", userId);
        if (!users.exists(peer)) {
            throw ApiException.notFound("user", peer);
        }
        return peer;
    }

    private static UUID userId(Jwt caller) {
        return UUID.fromString(caller.getSubject());
    }
}
