package dev.socnet.idempotency;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code socnet.idempotency.*} (values and reasons: application.yml).
 *
 * @param retention  how long a key's first outcome is kept and returned to repeats (24 h)
 * @param purgeEvery how often keys older than the retention are deleted
 */
@Validated
@ConfigurationProperties("socnet.idempotency")
record IdempotencyProperties(@NotNull Duration retention, @NotNull Duration purgeEvery) {
}
