package dev.socnet.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code socnet.auth.*}.
 *
 * @param jwtSecret HS256 key, at least 32 bytes (RFC 7518 §3.2: the key must be as long as the
 *                  hash output); {@code ./socnet up} generates one into {@code .local/secrets.env}
 * @param tokenTtl  how long an issued token stays valid (ISO-8601 duration, e.g. PT12H)
 */
@ConfigurationProperties("socnet.auth")
public record AuthProperties(String jwtSecret, Duration tokenTtl) {

    static final int MIN_SECRET_BYTES = 32;

    public AuthProperties {
        if (jwtSecret == null || jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("socnet.auth.jwt-secret (env SOCNET_JWT_SECRET) must be set to at least "
                    + MIN_SECRET_BYTES + " bytes; ./socnet up generates one into .local/secrets.env");
        }
        if (tokenTtl == null || tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalStateException("socnet.auth.token-ttl must be a positive duration");
        }
    }
}
