package dev.socnet.realtime;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * {@code /post/feed/posted}: a subscribe-only channel. The handshake has already authenticated the
 * follower ({@link HandshakeAuthentication}); opening registers the connection, closing forgets it.
 * Pongs and any frame the client sends count as signs of life; the client's text frames are otherwise
 * ignored (the contract defines none).
 */
class LiveFeedHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(LiveFeedHandler.class);
    /** Tomcat's per-session limit of a blocking send (ms); without it a stuck write waits 20 s. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT_MS = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final LiveConnections connections;
    private final RealtimeProperties properties;
    private final Clock clock;
    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();

    LiveFeedHandler(LiveConnections connections, RealtimeProperties properties, Clock clock) {
        this.connections = connections;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        if (session instanceof NativeWebSocketSession nativeSession
                && nativeSession.getNativeSession() instanceof jakarta.websocket.Session servlet) {
            servlet.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT_MS, properties.sendTimeLimit().toMillis());
        }
        UUID follower = (UUID) session.getAttributes().get(HandshakeAuthentication.FOLLOWER_ID_ATTRIBUTE);
        long expiresAt = session.getAttributes().get(HandshakeAuthentication.TOKEN_EXPIRES_AT_ATTRIBUTE)
                instanceof java.time.Instant exp ? exp.toEpochMilli() : Long.MAX_VALUE;
        LiveSession live = new LiveSession(follower, session, properties, clock.millis(), expiresAt);
        sessions.put(session.getId(), live);
        try {
            connections.opened(live);
        } catch (RuntimeException e) {
            sessions.remove(session.getId());
            log.warn("live feed of {} not opened, a dependency is unavailable: {}", follower, e.getMessage());
            session.close(CloseStatus.SERVICE_RESTARTED.withReason("try again later"));
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        heard(session);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        heard(session);
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("live feed connection {} failed: {}", session.getId(), exception.getMessage());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        LiveSession live = sessions.remove(session.getId());
        if (live != null) {
            connections.closed(live);
        }
    }

    private void heard(WebSocketSession session) {
        LiveSession live = sessions.get(session.getId());
        if (live != null) {
            live.heard(clock.millis());
        }
    }
}
