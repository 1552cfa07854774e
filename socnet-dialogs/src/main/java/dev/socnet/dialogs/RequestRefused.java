package dev.socnet.dialogs;

import org.springframework.http.HttpStatus;

/**
 * A client mistake answered as is by {@link ErrorHandler}: a 4xx status, the field (or header) to
 * blame and a message that starts with it.
 */
class RequestRefused extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    RequestRefused(HttpStatus status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    HttpStatus status() {
        return status;
    }

    String field() {
        return field;
    }
}
