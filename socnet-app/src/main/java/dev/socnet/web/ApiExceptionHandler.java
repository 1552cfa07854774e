package dev.socnet.web;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.socnet.web.support.ApiError;
import dev.socnet.web.support.ApiErrorHandling;

/**
 * The app's exception → {@link ApiError} mapping: the shared one of {@link ApiErrorHandling} (4xx with
 * the field and reason for client mistakes, 503 with {@code Retry-After} when the database cannot be
 * reached, 500 logged with its stack trace and answered without it) plus the app's own cases: 413 for a
 * chunked body read past {@link BodySizeLimit}, and the contract's wording for a paging number that is
 * not a whole number ({@link WholeNumbers}).
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ApiErrorHandling {

    /** Seconds a client should wait before retrying after a 503 (the pool's connect timeout is 2 s). */
    public static final int RETRY_AFTER_SECONDS = 5;

    public ApiExceptionHandler() {
        super("the database", Duration.ofSeconds(RETRY_AFTER_SECONDS));
    }

    @Override
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    protected ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        // Spring falls back to its own number editor after WholeNumbers refused a value, and reports that
        // editor's failure; WholeNumbers says why in the terms of the contract ("must be a whole number").
        if ((e.getRequiredType() == int.class || e.getRequiredType() == Integer.class) && e.getValue() instanceof String raw) {
            try {
                new WholeNumbers().convert(raw);
            } catch (WholeNumbers.NotAWholeNumberException number) {
                return error(request, HttpStatus.BAD_REQUEST, e.getName(), e.getName() + ": " + number.getMessage());
            }
        }
        return super.typeMismatch(e, request);
    }

    @Override
    @ExceptionHandler(HttpMessageNotReadableException.class)
    protected ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        // Jackson wraps the stream's exception (in a JacksonIOException, with the field it was reading)
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof BodySizeLimit.BodyTooLargeException tooLarge) {
                return error(request, HttpStatus.CONTENT_TOO_LARGE, null, tooLarge.getMessage());
            }
        }
        return super.unreadable(e, request);
    }
}
