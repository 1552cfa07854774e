package dev.socnet;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An HAProxy of a test's own, configured by the cluster's own template: {@code scripts/lib/haproxy.sh}'s
 * {@code haproxy_write_cfg} runs with {@code LOCAL} = a temporary directory, a free loopback port and the
 * test's backends (app instances in the test JVM), so nothing of the deployed configuration is re-typed
 * here. Settings the test passes ({@code SOCNET_RATE_LIMIT_*}, {@code SOCNET_HAPROXY_CHECK_*}) override
 * socnet.env's; without them the rate limits are off (0) and no metrics frontend is written (the cluster's
 * HAProxy has that port). Runs in the foreground ({@code haproxy -db}) as a child process; the constructor
 * returns once HAProxy's runtime API shows every backend UP (no request through the frontend, which would
 * count against a rate limit).
 */
public final class ScriptedHaproxy implements AutoCloseable {

    /** An app instance behind HAProxy: its API port and the management port its readiness is checked on. */
    public record Backend(int port, int managementPort) {
    }

    private final Path dir;
    private final int port;
    private final List<Backend> backends;
    private final Map<String, String> settings;
    private final Process process;

    /**
     * Writes the configuration, starts HAProxy and waits (at most 30 s) until every backend is UP.
     *
     * @param settings environment for {@code haproxy_write_cfg} over the defaults, e.g.
     *                 {@code SOCNET_RATE_LIMIT_LOGIN=3}
     */
    public ScriptedHaproxy(List<Backend> backends, Map<String, String> settings) throws IOException {
        this.dir = Files.createTempDirectory("socnet-haproxy-");
        this.port = freePort();
        this.backends = List.copyOf(backends);
        this.settings = Map.copyOf(settings);
        script("haproxy_write_cfg");
        this.process = new ProcessBuilder("haproxy", "-f", config().toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        // the pid file haproxy.sh's haproxy_running looks for (HAProxy in the foreground writes none)
        Files.writeString(dir.resolve("run/haproxy.pid"), process.pid() + "\n");
        await("HAProxy has every backend up").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> upBackends() == this.backends.size());
    }

    /** The frontend's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The configuration haproxy.sh wrote. */
    public Path config() {
        return dir.resolve("haproxy.cfg");
    }

    /**
     * Runs {@code command} in bash with haproxy.sh's functions and this HAProxy's environment (e.g.
     * {@code haproxy_rate_limit_exempt add 127.0.0.1}), waits at most 30 s.
     *
     * @return the command's output
     * @throws IllegalStateException when it exits non-zero or times out
     */
    public String script(String command) {
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", """
                set -euo pipefail
                . scripts/lib/common.sh; . scripts/lib/app.sh; . scripts/lib/haproxy.sh
                """ + command + "\n").directory(LocalCluster.ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(Map.of(
                "LOCAL", dir.toString(),
                "SOCNET_PUBLIC_ADDRESS", "127.0.0.1",
                "SOCNET_APP_PORT", Integer.toString(port),
                "SOCNET_APP_INSTANCE_PORTS", join(Backend::port),
                "SOCNET_APP_MANAGEMENT_PORTS", join(Backend::managementPort),
                "SOCNET_HAPROXY_PROMETHEUS_PORT", "",
                "SOCNET_RATE_LIMIT_LOGIN", "0",
                "SOCNET_RATE_LIMIT_REGISTER", "0",
                "SOCNET_RATE_LIMIT_REQUESTS", "0",
                "SOCNET_RATE_LIMIT_EXEMPT", ""));
        // every backend runs (the cluster's count, .local/app-instances, is not this HAProxy's)
        env.put("SOCNET_APP_INSTANCES", Integer.toString(backends.size()));
        env.putAll(settings);
        bash.environment().putAll(env);
        return LocalCluster.run(bash, 30);
    }

    /** How many backends HAProxy's stats (runtime API) show UP. */
    public long upBackends() throws IOException, InterruptedException {
        Process socat = new ProcessBuilder("socat", "-", "UNIX-CONNECT:" + dir.resolve("run/haproxy.sock")).start();
        socat.getOutputStream().write("show stat\n".getBytes(StandardCharsets.US_ASCII));
        socat.getOutputStream().close();
        String stat = new String(socat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        socat.waitFor(10, TimeUnit.SECONDS);
        return stat.lines().filter(l -> l.startsWith("app,app") && l.contains(",UP,")).count();
    }

    private String join(java.util.function.ToIntFunction<Backend> port) {
        return backends.stream().map(b -> Integer.toString(port.applyAsInt(b))).collect(Collectors.joining(" "));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
    }
}
