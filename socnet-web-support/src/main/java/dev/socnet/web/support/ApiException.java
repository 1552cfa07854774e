package dev.socnet.web.support;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An error a feature reports to the client as is: a status, a message and, when one field is to
 * blame, its name (snake_case, as in the request), and any response headers it needs (e.g.
 * {@code Retry-After} of a 429). Used by both services. Mapped by {@link ApiErrorHandling}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String field;
    private final HttpHeaders headers;

    public ApiException(HttpStatus status, String field, String message) {
        this(status, field, message, HttpHeaders.EMPTY);
    }

    /** With response headers, e.g. {@code Retry-After}; sent with the error body. */
    protected ApiException(HttpStatus status, String field, String message, HttpHeaders headers) {
        super(message);
        this.status = status;
        this.field = field;
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    /** 400 Bad Request blaming {@code field}. */
    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, field, field == null ? message : field + ": " + message);
    }

    /** 404 Not Found, e.g. {@code notFound("user", id)} → "user 0195… not found". */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, null, what + " " + id + " not found");
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }

    /** Headers of the error response (often none). */
    public HttpHeaders headers() {
        return headers;
    }
}
