package dev.socnet.feed;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * A redis-server of its own for a test that stops and starts Redis: on a free loopback port, no
 * persistence (a restart comes back empty, like the project's cache-only Redis), never the shared
 * instance other test runs use. With the same ACL as the project's Redis when
 * {@code SOCNET_REDIS_PASSWORD} is set (as under {@code ./socnet test}), so the application under test
 * authenticates exactly as it does against the shared one.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension static final ThrowawayRedis redis = new ThrowawayRedis();})
 * it runs for the test class: started before its first test, stopped after its last, with one shared
 * {@link #connections() connection factory}.
 */
public final class ThrowawayRedis implements ThrowawayServer {

    /** Reconnect attempts as FeedCacheConfiguration sets the application's: 100 ms, doubled up to 2 s. Shared, for the JVM's lifetime. */
    private static final ClientResources CLIENT_RESOURCES = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();

    private final int port = freePort();
    private final Path dir;
    private Process process;
    private LettuceConnectionFactory connections;

    public ThrowawayRedis() {
        try {
            dir = Files.createTempDirectory("socnet-redis-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() {
        try {
            List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1",
                    "--port", Integer.toString(port), "--save", "", "--appendonly", "no", "--dir", dir.toString()));
            String password = System.getenv("SOCNET_REDIS_PASSWORD");
            if (password != null && !password.isEmpty()) {
                // the project's ACL (scripts/lib/redis.sh): the application's user and password, no default user
                Path acl = dir.resolve("users.acl");
                Files.writeString(acl, "user default off\nuser " + System.getenv().getOrDefault("SOCNET_REDIS_USER", "socnet")
                        + " on >" + password + " ~* &* +@all\n");
                command.addAll(List.of("--aclfile", acl.toString()));
            }
            process = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve("redis.log").toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (is it installed?)", e);
        }
        Awaitility.await("redis-server on :" + port).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> accepts(port));
    }

    /**
     * A started connection factory for this server, as the application's is configured: the same user
     * and password ({@code SOCNET_REDIS_USER}/{@code SOCNET_REDIS_PASSWORD} when set), 500 ms command
     * timeout, commands rejected at once while disconnected and frequent reconnect attempts
     * (FeedCacheConfiguration). For unit tests
     * that drive a Redis-backed class directly; the caller ends it with {@code destroy()}.
     */
    public LettuceConnectionFactory connectionFactory() {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration("127.0.0.1", port);
        String password = System.getenv("SOCNET_REDIS_PASSWORD");
        if (password != null && !password.isEmpty()) {
            server.setUsername(System.getenv().getOrDefault("SOCNET_REDIS_USER", "socnet"));
            server.setPassword(password);
        }
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .clientResources(CLIENT_RESOURCES)
                .commandTimeout(Duration.ofMillis(500))
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** One started connection factory of {@link #connectionFactory()}, ended by {@link #close()}. */
    public synchronized LettuceConnectionFactory connections() {
        if (connections == null) {
            connections = connectionFactory();
        }
        return connections;
    }

    /** Whether the server was started and not stopped since. */
    public boolean running() {
        return process != null;
    }

    /** Stops the server (like a crash of a cache without persistence: its data is gone). */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        if (connections != null) {
            connections.destroy();
            connections = null;
        }
        stop();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean accepts(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
