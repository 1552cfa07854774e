/**
 * The news feed: {@code GET /post/feed}, the posts of everyone a user follows, newest first, at most
 * {@code socnet.feed.max-items}; cached per user in Redis and kept current by fan-out on write, with
 * celebrities merged at read time. See {@link dev.socnet.feed.FeedManager} for the semantics and
 * {@code docs/feed.md} for the whole mechanism.
 *
 * <p>Event flow: the post module's events (stored in the outbox with each change) are relayed to
 * RabbitMQ by {@link dev.socnet.feed.FeedRelay} and applied by {@link dev.socnet.feed.FanOutWorker};
 * the friend module's events rebuild the follower's feed ({@link dev.socnet.feed.FollowChanges}) and
 * may crown a celebrity ({@link dev.socnet.feed.CelebrityRoster}). Its public API is
 * {@link dev.socnet.feed.CelebrityDirectory}: who is a celebrity, for the live feed, which routes
 * celebrities' posts by the same rule.
 */
@org.springframework.modulith.ApplicationModule(displayName = "News feed", allowedDependencies = {"db", "friend", "post"})
package dev.socnet.feed;
