/**
 * Retry-safe writes: a client that may resend a request (its answer was lost, the gateway timed out)
 * sends an {@code Idempotency-Key} header; the first request with a key does the work, a repeat by the
 * same user with the same key within the retention (24 h) gets the first outcome back and stores
 * nothing, a different request under a used key is refused with 422. Keys live in PostgreSQL
 * ({@code idempotency_keys}, V16), claimed insert-first in the transaction of the work itself, so
 * concurrent duplicates are serialised by the primary key. Public API: {@link
 * dev.socnet.idempotency.IdempotentRequests}, {@link dev.socnet.idempotency.IdempotencyKey}.
 * Header semantics follow the IETF draft "The Idempotency-Key HTTP Header Field"
 * (draft-ietf-httpapi-idempotency-key-header): 422 for a key reused with another payload.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Idempotency keys", allowedDependencies = {"web::support"})
package dev.socnet.idempotency;
