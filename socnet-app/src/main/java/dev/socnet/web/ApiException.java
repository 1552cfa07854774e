package dev.socnet.web;

import org.springframework.http.HttpStatus;

/**
 * An error a feature reports to the client as is: a status, a message and, when one field is to
 * blame, its name (snake_case, as in the request). Mapped by {@link ApiExceptionHandler}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    public ApiException(HttpStatus status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
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
}
