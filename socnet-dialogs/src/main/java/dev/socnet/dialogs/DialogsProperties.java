package dev.socnet.dialogs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code socnet.dialogs.*}.
 *
 * @param gatewaySecret the secret the gateway sends in {@code X-Gateway-Secret}, at least 32 bytes;
 *                      {@code ./socnet up} generates {@code SOCNET_DIALOGS_SECRET} into
 *                      {@code .local/secrets.env}. The service refuses to start without it.
 * @param retryAfter    the {@code Retry-After} of a 503 (whole seconds), when the dialog database is
 *                      unreachable
 * @param idempotencyRetention  how long a send's Idempotency-Key is kept and answered (24 h)
 * @param idempotencyPurgeEvery how often keys older than that are deleted
 */
@ConfigurationProperties("socnet.dialogs")
record DialogsProperties(String gatewaySecret, Duration retryAfter, Duration idempotencyRetention,
        Duration idempotencyPurgeEvery) {

    static final int MIN_SECRET_BYTES = 32;

    DialogsProperties {
        if (gatewaySecret == null || gatewaySecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("socnet.dialogs.gateway-secret (env SOCNET_DIALOGS_SECRET) must be set to at least "
                    + MIN_SECRET_BYTES + " bytes; ./socnet up generates one into .local/secrets.env");
        }
        if (retryAfter == null || retryAfter.isNegative()) {
            throw new IllegalStateException("socnet.dialogs.retry-after must be a duration >= 0");
        }
        if (idempotencyRetention == null || !idempotencyRetention.isPositive()
                || idempotencyPurgeEvery == null || !idempotencyPurgeEvery.isPositive()) {
            throw new IllegalStateException(
                    "socnet.dialogs.idempotency-retention and idempotency-purge-every must be durations > 0");
        }
    }
}
