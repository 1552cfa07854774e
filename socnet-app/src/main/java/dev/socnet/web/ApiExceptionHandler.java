package dev.socnet.web;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps exceptions to {@link ApiError} responses: 4xx with the field and reason for client mistakes,
 * 503 with {@code Retry-After} when the database cannot be reached, 500 (logged with its stack
 * trace, answered without it) for everything else.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    /** Seconds a client should wait before retrying after a 503 (the pool's connect timeout is 2 s). */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e, HttpServletRequest request) {
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_JSON)
                .body(body(request, e.status(), e.field(), e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalidBody(MethodArgumentNotValidException e, HttpServletRequest request) {
        FieldError first = e.getBindingResult().getFieldErrors().stream().findFirst().orElse(null);
        if (first == null) {
            return error(request, HttpStatus.BAD_REQUEST, null, "invalid request body");
        }
        String field = JsonNames.snakeCase(first.getField());
        return error(request, HttpStatus.BAD_REQUEST, field, field + ": " + first.getDefaultMessage());
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ApiError> invalidParameter(HandlerMethodValidationException e, HttpServletRequest request) {
        var result = e.getParameterValidationResults().stream().findFirst().orElse(null);
        if (result == null) {
            return error(request, HttpStatus.BAD_REQUEST, null, "invalid request");
        }
        String field = result.getMethodParameter().getParameterName();
        var annotation = result.getMethodParameter().getParameterAnnotation(
                org.springframework.web.bind.annotation.RequestParam.class);
        if (annotation != null && !annotation.name().isEmpty()) {
            field = annotation.name();
        }
        String reason = result.getResolvableErrors().stream().findFirst()
                .map(r -> r.getDefaultMessage()).orElse("is invalid");
        return error(request, HttpStatus.BAD_REQUEST, field, field + ": " + reason);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.getParameterName(), e.getParameterName() + ": is required");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        // Spring falls back to its own number editor after WholeNumbers refused a value, and reports that
        // editor's failure; WholeNumbers says why in the terms of the contract ("must be a whole number").
        if ((e.getRequiredType() == int.class || e.getRequiredType() == Integer.class) && e.getValue() instanceof String raw) {
            try {
                new WholeNumbers().convert(raw);
            } catch (WholeNumbers.NotAWholeNumberException number) {
                return error(request, HttpStatus.BAD_REQUEST, e.getName(), e.getName() + ": " + number.getMessage());
            }
        }
        return error(request, HttpStatus.BAD_REQUEST, e.getName(), e.getName() + ": has a wrong format");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        // Jackson wraps the stream's exception (in a JacksonIOException, with the field it was reading)
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BodySizeLimit.BodyTooLargeException tooLarge) {
                return error(request, HttpStatus.CONTENT_TOO_LARGE, null, tooLarge.getMessage());
            }
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = unknown.getPropertyName();
            return error(request, HttpStatus.BAD_REQUEST, field, field + ": unknown field");
        }
        if (cause instanceof JacksonException jackson) {
            String field = path(jackson.getPath());
            String reason = switch (jackson) {
                case InvalidFormatException f -> "has a wrong format" + expected(f.getTargetType());
                case MismatchedInputException m when m.getTargetType() != null ->
                        "has a wrong type" + expected(m.getTargetType());
                default -> "is not valid JSON";
            };
            if (field == null) {
                return error(request, HttpStatus.BAD_REQUEST, null, "request body " + reason);
            }
            return error(request, HttpStatus.BAD_REQUEST, field, field + ": " + reason);
        }
        return error(request, HttpStatus.BAD_REQUEST, null, "request body is missing or is not valid JSON");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return error(request, HttpStatus.NOT_FOUND, null, "no such path: " + request.getRequestURI());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return error(request, HttpStatus.METHOD_NOT_ALLOWED, null,
                "method " + e.getMethod() + " is not supported here; use " + e.getSupportedHttpMethods());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return error(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, "request body must be application/json");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return error(request, HttpStatus.NOT_ACCEPTABLE, null, "responses are application/json");
    }

    // TransactionSystemException, CannotCreateTransactionException: the transaction itself could not begin,
    // commit or roll back over a connection the database dropped (a post and its idempotency key are one
    // transaction)
    @ExceptionHandler({CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
            QueryTimeoutException.class, TransientDataAccessException.class,
            org.springframework.transaction.TransactionSystemException.class,
            org.springframework.transaction.CannotCreateTransactionException.class})
    ResponseEntity<ApiError> databaseDown(Exception e, HttpServletRequest request) {
        log.warn("database unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS))
                .contentType(MediaType.APPLICATION_JSON)
                .body(body(request, HttpStatus.SERVICE_UNAVAILABLE, null,
                        "the database is unavailable, retry later"));
    }

    /**
     * A write that reached a node which is no longer the primary (SQLSTATE 25006, read-only
     * transaction): the pool still held a connection from before a failover. Transient: the pool
     * drops it and the driver finds the new primary, so the client should retry.
     */
    @ExceptionHandler(org.springframework.dao.DataAccessException.class)
    ResponseEntity<ApiError> dataAccess(org.springframework.dao.DataAccessException e, HttpServletRequest request) {
        if (e.getMostSpecificCause() instanceof java.sql.SQLException sql && READ_ONLY_TRANSACTION.equals(sql.getSQLState())) {
            return databaseDown(e, request);
        }
        return unexpected(e, request);
    }

    /** SQLSTATE of "cannot execute … in a read-only transaction" (PostgreSQL appendix A). */
    private static final String READ_ONLY_TRANSACTION = "25006";

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(request, HttpStatus.INTERNAL_SERVER_ERROR, null, "internal error");
    }

    /**
     * The error response, always JSON: the preset Content-Type skips content negotiation, so a client
     * whose {@code Accept} excludes JSON (the 406 case itself) still gets the body, not an empty answer.
     */
    private static ResponseEntity<ApiError> error(HttpServletRequest request, HttpStatus status, String field,
            String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(body(request, status, field, message));
    }

    private static ApiError body(HttpServletRequest request, HttpStatus status, String field, String message) {
        return new ApiError(message, RequestId.of(request), status.value(), field);
    }

    private static String path(List<JacksonException.Reference> path) {
        String joined = path.stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return joined.isEmpty() ? null : joined;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "";
        }
        return switch (type.getSimpleName()) {
            case "LocalDate" -> " (expected a date yyyy-MM-dd)";
            case "String" -> " (expected a string)";
            case "UUID" -> " (expected a UUID)";
            case "Integer", "int", "Long", "long" -> " (expected an integer)";
            default -> "";
        };
    }
}
