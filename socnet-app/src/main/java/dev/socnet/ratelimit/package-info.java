/**
 * Per-user write limits: each authenticated user may make at most {@code limit-for-period} writes of a
 * kind ({@link dev.socnet.ratelimit.UserLimit}: posts, follows, dialog messages) per
 * {@code limit-refresh-period} on each app instance ({@code socnet.rate-limits.*}); one more is answered
 * 429 with {@code Retry-After} and the JSON error body, and nothing is written. The feature's
 * controllers ask {@link dev.socnet.ratelimit.UserRateLimits} before they write. Limits per client
 * address (login, registration, every request) are HAProxy's, not this module's
 * ({@code scripts/lib/haproxy.sh}). Why per instance and not in Redis: {@code docs/decisions/0011-rate-limits.md}.
 * Public API: {@link dev.socnet.ratelimit.UserRateLimits}, {@link dev.socnet.ratelimit.UserLimit},
 * {@link dev.socnet.ratelimit.RateLimitExceededException}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Rate limits", allowedDependencies = {"web::support"})
package dev.socnet.ratelimit;
