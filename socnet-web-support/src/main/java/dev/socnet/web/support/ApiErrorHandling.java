package dev.socnet.web.support;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The exception → status mapping both services answer with, as {@link ApiError} JSON (a service's
 * {@code @RestControllerAdvice} extends this and adds its own cases):
 * <ul>
 *   <li>400 naming the field and reason: invalid body ({@code @Valid}), invalid, missing or mistyped
 *       parameters and headers, unreadable JSON (syntax, wrong type, unknown field);</li>
 *   <li>{@link ApiException}: its own status, field, message and headers (404, 403, 422, 429 …);</li>
 *   <li>404 unknown path, 405 method not taken, 415 body not {@code application/json}, 406 an
 *       {@code Accept} without JSON;</li>
 *   <li>503 with {@code Retry-After} (whole seconds) when the database cannot be reached, times out, or
 *       a write met a node that is no longer the primary (SQLSTATE 25006);</li>
 *   <li>500 for anything else: logged with its stack trace, answered without it.</li>
 * </ul>
 * Every response has {@code Content-Type: application/json} whatever the request's {@code Accept}.
 */
public abstract class ApiErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandling.class);

    /** SQLSTATE of "cannot execute … in a read-only transaction" (PostgreSQL appendix A). */
    private static final String READ_ONLY_TRANSACTION = "25006";

    private final String database;
    private final Duration retryAfter;

    /**
     * @param database   what the 503 names as unavailable, e.g. {@code "the database"}
     * @param retryAfter the {@code Retry-After} of a 503 (sent in whole seconds)
     */
    protected ApiErrorHandling(String database, Duration retryAfter) {
        this.database = database;
        this.retryAfter = retryAfter;
    }

    @ExceptionHandler(ApiException.class)
    protected ResponseEntity<ApiError> api(ApiException e, HttpServletRequest request) {
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_JSON)
                .body(body(request, e.status(), e.field(), e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    protected ResponseEntity<ApiError> invalidBody(MethodArgumentNotValidException e, HttpServletRequest request) {
        FieldError first = e.getBindingResult().getFieldErrors().stream().findFirst().orElse(null);
        if (first == null) {
            return error(request, HttpStatus.BAD_REQUEST, null, "invalid request body");
        }
        String field = JsonNames.snakeCase(first.getField());
        return error(request, HttpStatus.BAD_REQUEST, field, field + ": " + first.getDefaultMessage());
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    protected ResponseEntity<ApiError> invalidParameter(HandlerMethodValidationException e, HttpServletRequest request) {
        var result = e.getParameterValidationResults().stream().findFirst().orElse(null);
        if (result == null) {
            return error(request, HttpStatus.BAD_REQUEST, null, "invalid request");
        }
        String field = result.getMethodParameter().getParameterName();
        var annotation = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
        if (annotation != null && !annotation.name().isEmpty()) {
            field = annotation.name();
        }
        String reason = result.getResolvableErrors().stream().findFirst()
                .map(r -> r.getDefaultMessage()).orElse("is invalid");
        return error(request, HttpStatus.BAD_REQUEST, field, field + ": " + reason);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    protected ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e,
            HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.getParameterName(), e.getParameterName() + ": is required");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    protected ResponseEntity<ApiError> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.getHeaderName(), e.getHeaderName() + ": is required");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    protected ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.getName(), e.getName() + ": has a wrong format");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    protected ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
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
    protected ResponseEntity<ApiError> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return error(request, HttpStatus.NOT_FOUND, null, "no such path: " + request.getRequestURI());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    protected ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return error(request, HttpStatus.METHOD_NOT_ALLOWED, null,
                "method " + e.getMethod() + " is not supported here; use " + e.getSupportedHttpMethods());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    protected ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return error(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, "request body must be application/json");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    protected ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return error(request, HttpStatus.NOT_ACCEPTABLE, null, "responses are application/json");
    }

    // TransactionSystemException, CannotCreateTransactionException: the transaction itself could not begin,
    // commit or roll back over a connection the database dropped (e.g. a post and its idempotency key in one
    // transaction; a dialog send whose shard's worker is down: Citus fails the rollback as well)
    @ExceptionHandler({CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
            QueryTimeoutException.class, TransientDataAccessException.class, TransactionSystemException.class,
            CannotCreateTransactionException.class})
    protected ResponseEntity<ApiError> databaseDown(Exception e, HttpServletRequest request) {
        log.warn("{} unavailable: {}", database, e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(body(request, HttpStatus.SERVICE_UNAVAILABLE, null, database + " is unavailable, retry later"));
    }

    /**
     * A write that reached a node which is no longer the primary (SQLSTATE 25006, read-only
     * transaction): the pool still held a connection from before a failover. Transient: the pool drops
     * it and the driver finds the new primary, so the client should retry (503). Any other data access
     * error is a 500.
     */
    @ExceptionHandler(DataAccessException.class)
    protected ResponseEntity<ApiError> dataAccess(DataAccessException e, HttpServletRequest request) {
        if (e.getMostSpecificCause() instanceof java.sql.SQLException sql && READ_ONLY_TRANSACTION.equals(sql.getSQLState())) {
            return databaseDown(e, request);
        }
        return unexpected(e, request);
    }

    /**
     * The client went away while the response was written (HAProxy closing a health check it had given
     * up on under load, a closed browser tab): there is no one to answer, and nothing went wrong here, so
     * no error is logged (it was, as "unexpected", with a stack trace per check).
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    protected void clientGone(AsyncRequestNotUsableException e, HttpServletRequest request) {
        log.debug("client went away during {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    protected ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(request, HttpStatus.INTERNAL_SERVER_ERROR, null, "internal error");
    }

    /**
     * The error response, always JSON: the preset Content-Type skips content negotiation, so a client
     * whose {@code Accept} excludes JSON (the 406 case itself) still gets the body, not an empty answer.
     */
    protected static ResponseEntity<ApiError> error(HttpServletRequest request, HttpStatus status, String field,
            String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(body(request, status, field, message));
    }

    /** The body of an error response with the request's id. */
    protected static ApiError body(HttpServletRequest request, HttpStatus status, String field, String message) {
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
