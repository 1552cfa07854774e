package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.ScriptedHaproxy;

/**
 * HAProxy as {@code scripts/lib/haproxy.sh} configures it (the configuration is written by that very
 * script, with this test's ports: {@link ScriptedHaproxy}) in front of an app instance: a client that
 * sends its request head slowly — a header line every second, the slow-loris attack that holds a connection forever without
 * ever being idle — is answered 408 and cut off once {@code timeout http-request} has passed, while a
 * normal request at the same time is served.
 */
@IntegrationTest
class HaproxySlowRequestIT {

    /** Longest a slow client is fed before the test calls it never cut off: several times the timeout. */
    static final Duration FEED_AT_MOST = Duration.ofSeconds(45);

    @LocalServerPort
    int appPort;

    @LocalManagementPort
    int managementPort;

    ScriptedHaproxy haproxy;
    int port;
    Duration httpRequestTimeout;

    @BeforeEach
    void startHaproxy() throws Exception {
        haproxy = new ScriptedHaproxy(List.of(new ScriptedHaproxy.Backend(appPort, managementPort)), Map.of());
        port = haproxy.port();
        Matcher m = Pattern.compile("timeout http-request (\\d+)s").matcher(Files.readString(haproxy.config()));
        httpRequestTimeout = Duration.ofSeconds(m.find() ? Integer.parseInt(m.group(1)) : 10);
    }

    @AfterEach
    void stopHaproxy() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Test
    void aClientThatSendsItsHeadersSlowlyIsCutOffWhileOthersAreServed() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            long start = System.nanoTime();
            out.write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readUntilClosed(in));

            // meanwhile a normal client is served
            assertThat(new ApiClient(port).get("/actuator/health").status()).isEqualTo(200);

            int line = 0;
            while (!answer.isDone() && System.nanoTime() - start < FEED_AT_MOST.toNanos()) {
                try {
                    out.write(("X-Slow-" + line++ + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    break; // HAProxy closed the connection
                }
                Thread.sleep(1000);
            }
            Duration cutOffAfter = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer).as("the slow client was cut off within %s", FEED_AT_MOST)
                    .succeedsWithin(Duration.ofSeconds(5));
            assertThat(answer.get()).startsWith("HTTP/1.1 408");
            assertThat(cutOffAfter).as("cut off about timeout http-request (%s) after it connected", httpRequestTimeout)
                    .isBetween(httpRequestTimeout.minusSeconds(1), httpRequestTimeout.plusSeconds(15));
        }
    }

    private static String readUntilClosed(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "connection reset: " + e.getMessage();
        }
    }
}
