package dev.socnet.feed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;

/**
 * A RabbitMQ node of its own for a test that stops and starts the broker: its own node name, AMQP
 * and distribution ports and data directory (the environment scripts/lib/rabbitmq.sh uses for the
 * project's node), so the shared broker is never touched. Its data survives a stop, like a real
 * broker's: durable queues and persistent messages are still there after {@link #start()}. Its Erlang
 * distribution port and (when it is the first node to start one) epmd listen on loopback only, as the
 * project's node does.
 */
public final class ThrowawayRabbit implements ThrowawayServer {

    static final Path RABBIT_BIN = Path.of("/usr/lib/rabbitmq/bin");

    private final int port = ThrowawayRedis.freePort();
    private final int distPort = ThrowawayRedis.freePort();
    private static final AtomicInteger NODES = new AtomicInteger();

    private final String node = "socnet-feed-it-" + ProcessHandle.current().pid() + "-" + NODES.incrementAndGet()
            + "@localhost";
    private final Path dir;
    private Process process;

    public ThrowawayRabbit() {
        try {
            dir = Files.createTempDirectory("socnet-rabbitmq-it");
            // the application's user, as scripts/lib/rabbitmq.sh makes it on the project's node (no guest)
            Files.writeString(dir.resolve("rabbitmq.conf"), """
                    listeners.tcp.1 = 127.0.0.1:%d
                    default_user = %s
                    default_pass = %s
                    """.formatted(port, System.getenv().getOrDefault("SOCNET_RABBITMQ_USER", "socnet"),
                    System.getenv().getOrDefault("SOCNET_RABBITMQ_PASSWORD", "socnet-test")));
            Files.writeString(dir.resolve("enabled_plugins"), "[].");
            Files.writeString(dir.resolve("advanced.config"), "[].");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}: the application's {@code spring.rabbitmq.addresses} for this node alone. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Starts the node and waits (up to 90 s) until it answers {@code rabbitmqctl status} and AMQP connects. */
    public void start() {
        try {
            ProcessBuilder server = new ProcessBuilder(RABBIT_BIN.resolve("rabbitmq-server").toString())
                    .redirectOutput(dir.resolve("startup.log").toFile()).redirectErrorStream(true);
            server.environment().putAll(environment());
            process = server.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start rabbitmq-server (is RabbitMQ installed?)", e);
        }
        Awaitility.await("RabbitMQ node " + node).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> ThrowawayRedis.accepts(port) && ctl("status") == 0);
    }

    /** Stops the node ({@code rabbitmqctl stop}, which waits for it) and waits for its process to end. */
    public void stop() {
        if (process == null) {
            return;
        }
        ctl("stop");
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }



    private int ctl(String command) {
        try {
            ProcessBuilder ctl = new ProcessBuilder(RABBIT_BIN.resolve("rabbitmqctl").toString(), "-q", "-n", node,
                    command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
            ctl.environment().putAll(environment());
            Process p = ctl.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Distribution port on loopback only, as scripts/lib/rabbitmq.sh sets it for the project's node. */
    private static final String LOOPBACK_DIST = "-kernel inet_dist_use_interface {127,0,0,1}";

    private Map<String, String> environment() {
        return Map.ofEntries(
                Map.entry("ERL_EPMD_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", LOOPBACK_DIST),
                Map.entry("RABBITMQ_CTL_ERL_ARGS", LOOPBACK_DIST),
                Map.entry("RABBITMQ_NODENAME", node),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", Integer.toString(port)),
                Map.entry("RABBITMQ_DIST_PORT", Integer.toString(distPort)),
                Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
                Map.entry("RABBITMQ_PID_FILE", dir.resolve("node.pid").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString()),
                Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString()));
    }
}
