/**
 * The live feed: WebSocket {@code /post/feed/posted} (AsyncAPI {@code otus-asyncapi-1.0.0.json}), one
 * frame {@code {"postId","postText","author_user_id"}} per new post of someone the connected user
 * follows, whichever app instance the user is connected to. See {@code docs/realtime.md}.
 *
 * <p>Event flow: the post module's {@link dev.socnet.post.PostPublished} (stored in the outbox with the
 * post) is fanned out by {@link dev.socnet.realtime.LiveFanOut} to a RabbitMQ topic exchange, once per
 * online follower ({@code user.{id}}) or, for a celebrity, once to {@code author.{id}}. Each app instance
 * consumes one exclusive queue bound to the keys of the users connected to it
 * ({@link dev.socnet.realtime.InstanceBindings}) and writes the frames to their connections
 * ({@link dev.socnet.realtime.LiveConnections}). The friend module's follow events re-route open
 * connections at once. This module has no public API: nothing depends on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Live feed", allowedDependencies = {"feed", "friend", "post", "web::support"})
package dev.socnet.realtime;
