package dev.socnet.web.support;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * JSON body of every error response of socnet-app and socnet-dialogs: the contract's 5xx shape
 * {@code {message, request_id, code}} used for 4xx too, plus {@code field} (the offending request field,
 * parameter or header, snake_case as the client sent it) when one field is to blame. Both services
 * write snake_case JSON, so {@code requestId} is {@code request_id} on the wire.
 *
 * @param message   human-readable reason, safe to show (never a stack trace or SQL)
 * @param requestId the request id of {@code X-Request-Id}, also in the response header and the logs
 * @param code      the HTTP status code, as the contract's classification code
 * @param field     the request field, parameter or header at fault, or {@code null} (then left out)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String message, String requestId, int code, String field) {
}
