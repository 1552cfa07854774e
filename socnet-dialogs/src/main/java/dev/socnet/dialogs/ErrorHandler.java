package dev.socnet.dialogs;

import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.socnet.web.support.ApiError;
import dev.socnet.web.support.ApiErrorHandling;

/**
 * Exceptions → {@link ApiError}, the same mapping and body as the public API's (socnet-web-support), so
 * the gateway can pass a 400 on as it is: 400 naming the field, parameter or header for bad input (422 for
 * a reused idempotency key), 404 for unknown paths, 405 for a method the path does not take, 415 for a
 * body that is not JSON, 503 with {@code Retry-After} ({@code socnet.dialogs.retry-after}) when the
 * coordinator or a worker cannot be reached (a connection refused, a pool timeout, the worker of the
 * dialog's shard down: Citus reports SQLSTATE class 08), 500 for anything else (logged with its stack
 * trace, answered without).
 */
@RestControllerAdvice
class ErrorHandler extends ApiErrorHandling {

    ErrorHandler(DialogsProperties properties) {
        super("the dialog database", properties.retryAfter());
    }
}
