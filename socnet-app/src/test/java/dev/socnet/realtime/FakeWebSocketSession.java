package dev.socnet.realtime;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/** The server side of one client's WebSocket, as a test sees it: the frames sent to it and how it was closed. */
final class FakeWebSocketSession implements WebSocketSession {

    private final String id = UUID.randomUUID().toString();
    private final List<WebSocketMessage<?>> sent = new CopyOnWriteArrayList<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile CloseStatus closeStatus;

    /** The text frames sent, in order. */
    List<String> texts() {
        return sent.stream().filter(TextMessage.class::isInstance).map(m -> ((TextMessage) m).getPayload()).toList();
    }

    long pings() {
        return sent.stream().filter(PingMessage.class::isInstance).count();
    }

    /** How the server closed it; null while open. */
    CloseStatus closeStatus() {
        return closeStatus;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public URI getUri() {
        return URI.create("ws://127.0.0.1/post/feed/posted");
    }

    @Override
    public HttpHeaders getHandshakeHeaders() {
        return new HttpHeaders();
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public Principal getPrincipal() {
        return null;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return null;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return null;
    }

    @Override
    public String getAcceptedProtocol() {
        return null;
    }

    @Override
    public void setTextMessageSizeLimit(int messageSizeLimit) {
    }

    @Override
    public int getTextMessageSizeLimit() {
        return 0;
    }

    @Override
    public void setBinaryMessageSizeLimit(int messageSizeLimit) {
    }

    @Override
    public int getBinaryMessageSizeLimit() {
        return 0;
    }

    @Override
    public List<WebSocketExtension> getExtensions() {
        return List.of();
    }

    @Override
    public void sendMessage(WebSocketMessage<?> message) {
        sent.add(message);
    }

    @Override
    public boolean isOpen() {
        return closeStatus == null;
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL);
    }

    @Override
    public void close(CloseStatus status) {
        if (closeStatus == null) {
            closeStatus = status;
        }
    }
}
