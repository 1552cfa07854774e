package dev.socnet.dialogs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.socnet.web.support.ErrorWriter;

/**
 * Trusts only the gateway: every request except the health probes must carry {@value #HEADER} equal
 * to {@code socnet.dialogs.gateway-secret}, else 401. The comparison takes the same time wherever the
 * first differing byte is ({@link MessageDigest#isEqual}), so the secret cannot be guessed byte by
 * byte from response times. The secret travels in clear over loopback only (the service listens on
 * 127.0.0.1); across machines, put TLS (or mTLS instead of the secret) in front — docs/dialogs.md.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class GatewaySecretFilter extends OncePerRequestFilter {

    /** Request header with the shared secret. */
    static final String HEADER = "X-Gateway-Secret";

    private final byte[] secret;
    private final ErrorWriter errors;

    GatewaySecretFilter(DialogsProperties properties, ErrorWriter errors) {
        this.secret = properties.gatewaySecret().getBytes(StandardCharsets.UTF_8);
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // health probes (./socnet) and the metrics Prometheus scrapes (scripts/lib/monitoring.sh): the
        // service listens on 127.0.0.1 only, like the app's management port that serves the same
        String uri = request.getRequestURI();
        return uri.startsWith("/actuator/health") || uri.equals("/actuator/prometheus");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        if (given == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            errors.write(request, response, HttpStatus.UNAUTHORIZED, null, "only the socnet gateway may call this service");
            return;
        }
        chain.doFilter(request, response);
    }
}
