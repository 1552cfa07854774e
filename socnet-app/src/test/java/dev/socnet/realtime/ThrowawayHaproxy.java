package dev.socnet.realtime;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An HAProxy of the test's own in front of app instances in the test JVM, configured like the local
 * cluster's (scripts/lib/haproxy.sh: HTTP mode, WebSocket upgrade, long tunnel timeout, readiness
 * checks on each instance's management port, redispatch) but checking every 500 ms so a stopped instance leaves the pool quickly. Runs in
 * the foreground ({@code haproxy -db}) as a child process on a free loopback port.
 */
final class ThrowawayHaproxy implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path config;

    ThrowawayHaproxy(LiveInstance... backends) throws IOException {
        this.port = freePort();
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 500
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout tunnel 1h
                    retries 3
                    option redispatch
                frontend live
                    bind 127.0.0.1:%d
                    default_backend app
                backend app
                    balance roundrobin
                    option httpchk GET /actuator/health/readiness
                    http-check expect status 200
                    default-server check inter 500ms fall 1 rise 1
                """.formatted(port));
        for (int i = 0; i < backends.length; i++) {
            cfg.append("    server app").append(i + 1).append(" 127.0.0.1:").append(backends[i].port())
                    .append(" check port ").append(backends[i].managementPort()).append('\n');
        }
        this.config = Files.createTempFile("socnet-realtime-haproxy", ".cfg");
        Files.writeString(config, cfg);
        this.process = new ProcessBuilder("haproxy", "-f", config.toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(Duration.ofSeconds(10)).until(this::accepts);
    }

    int port() {
        return port;
    }

    private boolean accepts() {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        Files.deleteIfExists(config);
    }
}
