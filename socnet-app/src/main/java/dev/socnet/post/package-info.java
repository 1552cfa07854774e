/**
 * Posts: {@code POST /post/create}, {@code PUT /post/update}, {@code PUT /post/delete/{id}},
 * {@code GET /post/get/{id}} as the contract defines them.
 *
 * <p>Every change commits the {@code posts} row together with an application event —
 * {@link dev.socnet.post.PostPublished}, {@link dev.socnet.post.PostEdited},
 * {@link dev.socnet.post.PostDeleted} — that Spring Modulith's event publication registry stores in
 * the same transaction (the outbox); the feed module reacts to them. Public API for other modules:
 * {@link dev.socnet.post.PostCatalog}, {@link dev.socnet.post.Post} and the events.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Posts", allowedDependencies = {"idempotency", "ratelimit", "web", "web::support"})
package dev.socnet.post;
