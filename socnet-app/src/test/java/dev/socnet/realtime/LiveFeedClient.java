package dev.socnet.realtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A follower's live feed connection as a test drives it (JDK {@link WebSocket}): collects every text
 * frame as JSON, answers pings (the JDK client does), and — when made with {@link #reconnecting} —
 * connects again whenever the server closes it or the connection breaks, as a browser client would.
 */
final class LiveFeedClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Supplier<URI> uri;
    private final String token;
    private final boolean reconnect;
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    /** When each of {@link #frames} arrived (Unix ms), same order. */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final AtomicReference<WebSocket> socket = new AtomicReference<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;
    private volatile int serverCloseCode;
    private volatile long serverClosedAtMillis;
    private volatile String serverCloseReason = "";
    private volatile long connectedAtMillis;

    private LiveFeedClient(Supplier<URI> uri, String token, boolean reconnect) {
        this.uri = uri;
        this.token = token;
        this.reconnect = reconnect;
    }

    /** Connects with {@code Authorization: Bearer <token>} to {@code ws://127.0.0.1:<port>/post/feed/posted}. */
    static LiveFeedClient connect(int port, String token) {
        var client = new LiveFeedClient(() -> feedUri(port, null), token, false);
        client.open();
        return client;
    }

    /** Connects with the token in the query ({@code ?token=}), as a browser does. */
    static LiveFeedClient connectWithQueryToken(int port, String token) {
        var client = new LiveFeedClient(() -> feedUri(port, token), null, false);
        client.open();
        return client;
    }

    /** Connects with the bearer header and reconnects (every 200 ms until it succeeds) after every close. */
    static LiveFeedClient reconnecting(int port, String token) {
        var client = new LiveFeedClient(() -> feedUri(port, null), token, true);
        client.open();
        return client;
    }

    static URI feedUri(int port, String queryToken) {
        return URI.create("ws://127.0.0.1:" + port + "/post/feed/posted"
                + (queryToken == null ? "" : "?token=" + queryToken));
    }

    /**
     * The handshake's HTTP status when the server refuses it, e.g. 401.
     *
     * @param headers name/value pairs
     * @throws AssertionError when the handshake succeeds
     */
    static int refusedStatus(URI uri, String... headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            WebSocket ws = builder.buildAsync(uri, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            ws.abort();
            throw new AssertionError("the handshake to " + uri + " succeeded");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError("handshake failed without an HTTP answer", e);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private void open() {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            socket.set(builder.buildAsync(uri.get(), new Frames()).join());
            connectedAtMillis = System.currentTimeMillis();
            connections.incrementAndGet();
        } catch (CompletionException e) {
            if (!reconnect) {
                throw e;
            }
            reconnectLater();
        }
    }

    private void reconnectLater() {
        if (reconnect && !closed) {
            CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(this::open);
        }
    }

    /** Every frame received so far, in order. */
    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /**
     * When the frame of {@code postId} first arrived (Unix ms), or -1 when none did.
     */
    long arrivedAtMillis(String postId) {
        List<JsonNode> received = List.copyOf(frames);
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i).path("postId").asString().equals(postId)) {
                return arrivals.get(i);
            }
        }
        return -1;
    }

    /** How many frames carried {@code postId}. */
    long count(String postId) {
        return frames.stream().filter(f -> f.path("postId").asString().equals(postId)).count();
    }

    /** Successful handshakes so far (1 until a reconnect). */
    int connections() {
        return connections.get();
    }

    /** The status code of the server's last close frame, 0 while it sent none. */
    int serverCloseCode() {
        return serverCloseCode;
    }

    /** The reason of the server's last close frame, empty while it sent none. */
    String serverCloseReason() {
        return serverCloseReason;
    }

    /** When the server's last close frame arrived (Unix ms), 0 while it sent none. */
    long serverClosedAtMillis() {
        return serverClosedAtMillis;
    }

    /** When the last successful handshake completed (Unix ms). */
    long connectedAtMillis() {
        return connectedAtMillis;
    }

    boolean isOpen() {
        WebSocket ws = socket.get();
        return ws != null && !ws.isInputClosed() && !ws.isOutputClosed();
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket.get();
        if (ws != null) {
            ws.abort();
        }
    }

    /** Assembles text frames (they may arrive in parts) and reconnects after a close or an error. */
    private final class Frames implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                arrivals.add(System.currentTimeMillis());
                frames.add(JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            serverClosedAtMillis = System.currentTimeMillis();
            serverCloseReason = reason;
            serverCloseCode = statusCode;
            reconnectLater();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            reconnectLater();
        }
    }

    /** Frame fields by name, for assertions. */
    static Map<String, String> fields(JsonNode frame) {
        return Map.of("postId", frame.path("postId").asString(), "postText", frame.path("postText").asString(),
                "author_user_id", frame.path("author_user_id").asString());
    }
}
