package dev.socnet.dialogs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * JSON body of every error of the internal API — the same shape as the public API's errors, so the
 * gateway can pass a 400 on as it is.
 *
 * @param message   human-readable reason (never a stack trace or SQL)
 * @param requestId the request's {@code X-Request-Id}
 * @param code      the HTTP status
 * @param field     the offending field, parameter or header, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ErrorBody(String message, String requestId, int code, String field) {
}
