package dev.socnet.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link ApiError} straight to a servlet response, for code that runs outside Spring MVC
 * (filters, the security entry points).
 */
@Component
public class ErrorWriter {

    private final JsonMapper json;

    public ErrorWriter(JsonMapper json) {
        this.json = json;
    }

    /** Writes status, {@code Content-Type: application/json} and the error body. */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String field,
            String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), new ApiError(message, RequestId.of(request), status.value(), field));
    }
}
