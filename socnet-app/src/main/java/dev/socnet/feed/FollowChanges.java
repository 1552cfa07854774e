package dev.socnet.feed;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.socnet.friend.FollowEnded;
import dev.socnet.friend.FollowStarted;

/**
 * Right after a follow or unfollow commits, in the request's thread, merges the followee into the
 * follower's cached feed or takes them out of it ({@link FeedManager#mergeIntoHome},
 * {@link FeedManager#unmergeFromHome}), so the next feed read already shows (or no longer shows) the
 * followee's posts. Work bounded by the feed's length: only the followee's posts are read (from the
 * primary: a replica may not have replayed the follow yet), never the other followees'.
 *
 * <p>The publications are stored with the follow (outbox): when Redis is down the change throws
 * (the follow itself succeeded), the publication stays incomplete, and {@link OutboxResubmission}
 * repeats it until Redis answers — so a cache that was unreachable, not restarted, does not keep
 * showing an unfollowed author. A repeat checks the follow first, so a late one does not undo a
 * later unfollow or follow.
 */
@Component
class FollowChanges {

    private final FeedManager feeds;

    FollowChanges(FeedManager feeds) {
        this.feeds = feeds;
    }

    @TransactionalEventListener(id = "feed.home.rebuild-on-follow")
    void on(FollowStarted follow) {
        feeds.mergeIntoHome(follow.followerId(), follow.followeeId());
    }

    @TransactionalEventListener(id = "feed.home.rebuild-on-unfollow")
    void on(FollowEnded unfollow) {
        feeds.unmergeFromHome(unfollow.followerId(), unfollow.followeeId());
    }
}
