package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import dev.socnet.ApiClient;
import dev.socnet.feed.SocialApi;
import dev.socnet.feed.SocialApi.Account;

/**
 * A real slow client — a TCP peer that completes the WebSocket handshake with a tiny receive buffer
 * and then never reads — next to a normal one, on a real instance with a small send budget: the
 * server closes the slow connection once its bounded buffer is full, and the normal follower still
 * receives every post once, promptly.
 */
class SlowClientIT {

    static final Duration DELIVERY = Duration.ofSeconds(30);
    /** Posts of 5,000 Cyrillic characters: about 10 KB per frame, 4 MB in all — more than socket buffers hold. */
    static final int POSTS = 400;

    @Test
    void aClientThatStopsReadingIsDisconnectedWithoutStallingOthers() throws Exception {
        // one author posts 400 times back to back: far past the per-user post limit, which is not under test here
        try (LiveInstance instance = LiveInstance.start("socnet.realtime.send-time-limit=1s",
                "socnet.realtime.send-buffer-size-limit-bytes=65536", "socnet.rate-limits.enabled=false")) {
            SocialApi api = new SocialApi(new ApiClient(instance.port()));
            Account author = api.register("Говорун");
            Account slow = api.register("Тормоз");
            Account fast = api.register("Шустрый");
            api.follow(slow, author);
            api.follow(fast, author);

            try (Socket stalled = handshakeAndStopReading(instance.port(), slow.token());
                    LiveFeedClient reader = LiveFeedClient.connect(instance.port(), fast.token())) {
                RealtimeIT.awaitConnected(instance, slow, fast);

                String text = "ж".repeat(5000);
                List<String> posts = new ArrayList<>();
                for (int i = 0; i < POSTS; i++) {
                    posts.add(api.post(author, text));
                }

                await().atMost(DELIVERY).untilAsserted(() ->
                        assertThat(instance.bean(LiveConnections.class).connectedFollowers())
                                .as("the slow follower's connection is closed by the server")
                                .doesNotContain(UUID.fromString(slow.id())));
                await().atMost(DELIVERY).untilAsserted(() -> {
                    for (String post : posts) {
                        assertThat(reader.count(post)).as("post %s at the normal follower", post).isEqualTo(1);
                    }
                });
                assertThat(serverClosed(stalled))
                        .as("the slow client, reading at last, finds its connection closed by the server")
                        .isTrue();
            }
        }
    }

    /**
     * Reads and discards what the server sent until the end of the stream.
     *
     * @return true when the stream ends (FIN) or is reset, i.e. the server closed the connection; false
     *         when it stays open for {@link #DELIVERY} without a byte
     */
    static boolean serverClosed(Socket socket) throws IOException {
        socket.setSoTimeout((int) DELIVERY.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // discard: the frames queued before the close
            }
            return true;
        } catch (java.net.SocketTimeoutException open) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** Opens a WebSocket to /post/feed/posted by hand and stops reading right after the 101 answer. */
    static Socket handshakeAndStopReading(int port, String token) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET /post/feed/posted HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }
}
