package dev.socnet.feed;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.socnet.friend.FollowEnded;
import dev.socnet.friend.FollowStarted;

/**
 * Rebuilds the follower's cached feed right after a follow or unfollow commits, in the request's
 * thread, so the next feed read already shows (or no longer shows) the followee's posts. Reads the
 * primary: a replica may not have replayed the follow yet.
 *
 * <p>The publications are stored with the follow (outbox): when Redis is down the rebuild throws
 * (the follow itself succeeded), the publication stays incomplete, and {@link OutboxResubmission}
 * repeats the rebuild until Redis answers — so a cache that was unreachable, not restarted, does not
 * keep showing an unfollowed author.
 */
@Component
class FollowChanges {

    private final FeedManager feeds;

    FollowChanges(FeedManager feeds) {
        this.feeds = feeds;
    }

    @TransactionalEventListener(id = "feed.home.rebuild-on-follow")
    void on(FollowStarted follow) {
        feeds.populateHome(follow.followerId(), true);
    }

    @TransactionalEventListener(id = "feed.home.rebuild-on-unfollow")
    void on(FollowEnded unfollow) {
        feeds.populateHome(unfollow.followerId(), true);
    }
}
