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
 */
@ConfigurationProperties("socnet.dialogs")
record DialogsProperties(String gatewaySecret, Duration retryAfter) {

    static final int MIN_SECRET_BYTES = 32;

    DialogsProperties {
        if (gatewaySecret == null || gatewaySecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("socnet.dialogs.gateway-secret (env SOCNET_DIALOGS_SECRET) must be set to at least "
                    + MIN_SECRET_BYTES + " bytes; ./socnet up generates one into .local/secrets.env");
        }
        if (retryAfter == null || retryAfter.isNegative()) {
            throw new IllegalStateException("socnet.dialogs.retry-after must be a duration >= 0");
        }
    }
}
