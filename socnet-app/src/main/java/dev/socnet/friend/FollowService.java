package dev.socnet.friend;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.socnet.user.UserDirectory;
import dev.socnet.web.support.ApiException;

/** Following and unfollowing; the graph queries other modules need. */
@Service
class FollowService implements FollowGraph {

    /** Smallest UUID: the keyset start of the first batch of followers. */
    private static final UUID BEFORE_ALL = new UUID(0, 0);

    private final FriendRepository friends;
    private final UserDirectory users;
    private final ApplicationEventPublisher events;

    FollowService(FriendRepository friends, UserDirectory users, ApplicationEventPublisher events) {
        this.friends = friends;
        this.users = users;
        this.events = events;
    }

    /**
     * {@code followerId} follows {@code followeeId}; repeating it changes nothing.
     *
     * @throws ApiException 400 (field {@code user_id}) when both are the same user; 404 when there is
     *                      no user {@code followeeId}
     */
    @Transactional
    void follow(UUID followerId, UUID followeeId) {
        checkOther(followerId, followeeId);
        if (friends.insert(followerId, followeeId)) {
            events.publishEvent(new FollowStarted(followerId, followeeId));
        }
    }

    /**
     * {@code followerId} stops following {@code followeeId}; not following is not an error.
     *
     * @throws ApiException 400 (field {@code user_id}) when both are the same user; 404 when there is
     *                      no user {@code followeeId}
     */
    @Transactional
    void unfollow(UUID followerId, UUID followeeId) {
        checkOther(followerId, followeeId);
        if (friends.delete(followerId, followeeId)) {
            events.publishEvent(new FollowEnded(followerId, followeeId));
        }
    }

    @Override
    public void forEachFollowerBatch(UUID authorId, int batchSize, Consumer<List<UUID>> batches) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        UUID after = BEFORE_ALL;
        while (true) {
            List<UUID> batch = friends.followersAfter(authorId, after, batchSize);
            if (batch.isEmpty()) {
                return;
            }
            batches.accept(batch);
            if (batch.size() < batchSize) {
                return;
            }
            after = batch.getLast();
        }
    }

    @Override
    public long countFollowers(UUID userId, long cap) {
        return friends.countFollowers(userId, cap);
    }

    private void checkOther(UUID callerId, UUID userId) {
        if (callerId.equals(userId)) {
            throw ApiException.badRequest("user_id", "must be another user's id, not your own");
        }
        if (!users.exists(userId)) {
            throw ApiException.notFound("user", userId);
        }
    }
}
