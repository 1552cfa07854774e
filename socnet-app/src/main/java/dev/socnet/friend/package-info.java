/**
 * The follow graph: {@code PUT /friend/set/{user_id}} (the caller follows {@code user_id}) and
 * {@code PUT /friend/delete/{user_id}} (the caller stops following), both idempotent.
 *
 * <p>A change commits the {@code friends} row together with {@link dev.socnet.friend.FollowStarted}
 * or {@link dev.socnet.friend.FollowEnded} (stored by the event publication registry in the same
 * transaction); the feed module rebuilds the follower's cached feed from them. Public API for
 * other modules: {@link dev.socnet.friend.FollowGraph} and the events.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Follow graph", allowedDependencies = {"ratelimit", "user", "web", "web::support"})
package dev.socnet.friend;
