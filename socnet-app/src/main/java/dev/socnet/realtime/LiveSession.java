package dev.socnet.realtime;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.SequencedSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;

/**
 * One open connection of {@code /post/feed/posted}: the follower it belongs to, a send path that
 * never blocks the caller for long (Spring's {@link ConcurrentWebSocketSessionDecorator}: a send that
 * finds another in progress queues its frame and returns; past {@code send-time-limit} or
 * {@code send-buffer-size-limit-bytes} the connection is closed as a slow client), when it was last
 * heard from, and the ids of the posts it was sent lately (duplicates are dropped).
 */
final class LiveSession {

    private static final AtomicLong OPENED = new AtomicLong();

    private final UUID followerId;
    private final ConcurrentWebSocketSessionDecorator session;
    private final int recentPostsLimit;
    private final SequencedSet<UUID> recentPosts = new LinkedHashSet<>();
    private final long tokenExpiresAtMillis;
    private volatile long lastHeardMillis;
    /** Order of opening on this instance (earlier: smaller), for closing a user's oldest connection. */
    private final long openedSequence = OPENED.incrementAndGet();

    /**
     * @param tokenExpiresAtMillis when the token of the handshake expires (Unix ms), {@link Long#MAX_VALUE}
     *                             for a token without {@code exp}
     */
    LiveSession(UUID followerId, WebSocketSession session, RealtimeProperties properties, long nowMillis,
            long tokenExpiresAtMillis) {
        this.followerId = followerId;
        this.tokenExpiresAtMillis = tokenExpiresAtMillis;
        this.session = new ConcurrentWebSocketSessionDecorator(session, (int) properties.sendTimeLimit().toMillis(),
                properties.sendBufferSizeLimitBytes(), ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
        this.recentPostsLimit = properties.recentPostsPerConnection();
        this.lastHeardMillis = nowMillis;
    }

    UUID followerId() {
        return followerId;
    }

    String id() {
        return session.getId();
    }

    /** Larger for a connection opened later on this instance. */
    long openedSequence() {
        return openedSequence;
    }

    boolean isOpen() {
        return session.isOpen();
    }

    /** Remembers {@code postId}; false when this connection was already sent it lately. */
    synchronized boolean firstDelivery(UUID postId) {
        if (!recentPosts.add(postId)) {
            return false;
        }
        if (recentPosts.size() > recentPostsLimit) {
            recentPosts.removeFirst();
        }
        return true;
    }

    /**
     * Sends a frame (text or ping). May block up to {@code send-time-limit} when this connection's
     * socket is full and no other send is in progress; closes the connection (1011-like
     * {@link CloseStatus#SESSION_NOT_RELIABLE}, 1011) when a limit is exceeded or the send fails.
     */
    void send(WebSocketMessage<?> frame) {
        try {
            session.sendMessage(frame);
        } catch (SessionLimitExceededException e) {
            close(e.getStatus());
        } catch (IOException | RuntimeException e) {
            close(CloseStatus.SESSION_NOT_RELIABLE);
        }
    }

    void heard(long nowMillis) {
        lastHeardMillis = nowMillis;
    }

    long lastHeardMillis() {
        return lastHeardMillis;
    }

    /** True once the handshake's token has expired (Unix ms {@code nowMillis}). */
    boolean tokenExpired(long nowMillis) {
        return nowMillis >= tokenExpiresAtMillis;
    }

    void close(CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException | RuntimeException ignored) {
            // already closed or the socket is gone: the handler's afterConnectionClosed cleans up
        }
    }
}
