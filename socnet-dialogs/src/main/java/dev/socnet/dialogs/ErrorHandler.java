package dev.socnet.dialogs;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Exceptions → {@link ErrorBody}: 400 naming the field for bad input (422 for a reused idempotency key),
 * 404 for unknown paths, 405 for a method the path does not take, 415 for a body that is not JSON, 503 with
 * {@code Retry-After} when the coordinator or a worker cannot be reached (a connection refused, a
 * pool timeout, the worker of the dialog's shard down: Citus reports SQLSTATE class 08), 500 for anything else
 * (logged with its stack trace, answered without).
 */
@RestControllerAdvice
class ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    private final DialogsProperties properties;

    ErrorHandler(DialogsProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(RequestRefused.class)
    ResponseEntity<ErrorBody> refused(RequestRefused e, HttpServletRequest request) {
        return error(request, e.status(), e.field(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ErrorBody> invalidBody(MethodArgumentNotValidException e, HttpServletRequest request) {
        FieldError first = e.getBindingResult().getFieldErrors().stream().findFirst().orElse(null);
        String field = first == null ? null : first.getField();
        return error(request, HttpStatus.BAD_REQUEST, field,
                first == null ? "invalid request body" : field + ": " + first.getDefaultMessage());
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ErrorBody> invalidParameter(HandlerMethodValidationException e, HttpServletRequest request) {
        var result = e.getParameterValidationResults().stream().findFirst().orElse(null);
        if (result == null) {
            return error(request, HttpStatus.BAD_REQUEST, null, "invalid request");
        }
        String field = result.getMethodParameter().getParameterName();
        String reason = result.getResolvableErrors().stream().findFirst()
                .map(r -> r.getDefaultMessage()).orElse("is invalid");
        return error(request, HttpStatus.BAD_REQUEST, field, field + ": " + reason);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorBody> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.getName(), e.getName() + ": has a wrong format");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ErrorBody> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.getHeaderName(), e.getHeaderName() + ": is required");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, null, "request body is missing or is not valid JSON");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return error(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, "request body must be application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return error(request, HttpStatus.METHOD_NOT_ALLOWED, null,
                "method " + e.getMethod() + " is not supported here; use " + e.getSupportedHttpMethods());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ErrorBody> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return error(request, HttpStatus.NOT_FOUND, null, "no such path: " + request.getRequestURI());
    }

    // TransactionSystemException, CannotCreateTransactionException: the transaction itself could not
    // begin, commit or roll back, e.g. a send (idempotency key and message in one transaction) whose
    // shard's worker is down: Citus fails the rollback over the broken connection as well
    @ExceptionHandler({CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
            QueryTimeoutException.class, TransientDataAccessException.class, TransactionSystemException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ErrorBody> databaseDown(Exception e, HttpServletRequest request) {
        log.warn("dialog database unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()))
                .body(body(request, HttpStatus.SERVICE_UNAVAILABLE, null, "the dialog database is unavailable, retry later"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(request, HttpStatus.INTERNAL_SERVER_ERROR, null, "internal error");
    }

    private static ResponseEntity<ErrorBody> error(HttpServletRequest request, HttpStatus status, String field,
            String message) {
        return ResponseEntity.status(status).body(body(request, status, field, message));
    }

    private static ErrorBody body(HttpServletRequest request, HttpStatus status, String field, String message) {
        return new ErrorBody(message, RequestIdFilter.of(request), status.value(), field);
    }
}
