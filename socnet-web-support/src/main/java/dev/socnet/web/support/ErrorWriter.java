package dev.socnet.web.support;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link ApiError} straight to a servlet response, for code that runs outside Spring MVC
 * (filters, the security entry points, the WebSocket handshake).
 */
public class ErrorWriter {

    private final JsonMapper json;

    /** @param json the service's JSON mapper (snake_case), so the body is named as everywhere else */
    public ErrorWriter(JsonMapper json) {
        this.json = json;
    }

    /**
     * Writes status, {@code Content-Type: application/json} and the error body with the request's id.
     *
     * @param field the request field at fault, or {@code null}
     */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String field,
            String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), new ApiError(message, RequestId.of(request), status.value(), field));
    }
}
