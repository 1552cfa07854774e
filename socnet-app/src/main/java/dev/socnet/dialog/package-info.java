/**
 * Dialogs, gateway side: {@code POST /dialog/{user_id}/send} and {@code GET /dialog/{user_id}/list}
 * as the contract defines them, plus the documented paging extension ({@code limit}, {@code before}).
 * The app authenticates the caller (JWT), validates the request, checks that the other user exists
 * ({@link dev.socnet.user.UserDirectory}) and forwards the caller's id and the request id to the
 * socnet-dialogs service ({@link dev.socnet.dialog.DialogsClient}), which stores messages on the
 * sharded dialog database ("monolith as gateway"). The service down is a 503 with
 * {@code Retry-After} here. Whole picture: {@code docs/dialogs.md}. This module has no public API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Dialogs (gateway)", allowedDependencies = {"idempotency", "ratelimit", "user", "web", "web::support"})
package dev.socnet.dialog;
