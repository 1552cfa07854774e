package dev.socnet.web.support;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the client's (or the gateway's) {@code X-Request-Id} when it is a sane
 * token (1–64 chars of {@code [A-Za-z0-9._:-]}), else a new random UUID. The id is echoed in the
 * {@code X-Request-Id} response header, put in the log context as {@code request_id} (so it is in every
 * log line of the request) and in every error body. Runs first ({@link Ordered#HIGHEST_PRECEDENCE}),
 * before security, so 401s carry it too; the app passes it on to the dialogs service, so one id follows
 * a request from the client through both services' logs.
 */
public class RequestId extends OncePerRequestFilter implements Ordered {

    /** Request and response header that carries the id. */
    public static final String HEADER = "X-Request-Id";
    /** Key of the id in the log context (MDC) and request attributes. */
    public static final String KEY = "request_id";

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String id = given != null && ACCEPTED.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setAttribute(KEY, id);
        response.setHeader(HEADER, id);
        MDC.put(KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(KEY);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** The id of {@code request}, or a fresh one when the filter did not run (should not happen). */
    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(KEY);
        return id != null ? id.toString() : UUID.randomUUID().toString();
    }
}
