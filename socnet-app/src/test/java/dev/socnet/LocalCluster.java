package dev.socnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster as system tests drive it: {@code ./socnet} commands run from the repository
 * root (the same commands an operator types) and direct JDBC connections to one PostgreSQL node.
 */
public final class LocalCluster {

    /** Repository root: failsafe runs in the module directory. */
    public static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private LocalCluster() {
    }

    /**
     * Runs {@code ./socnet args…}, waits at most {@code timeoutSeconds}.
     *
     * @return the combined output
     * @throws IllegalStateException when it exits non-zero or times out
     */
    public static String socnet(int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("./socnet"));
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command).directory(ROOT.toFile()), timeoutSeconds);
    }

    /**
     * Runs {@code process} to its end, waits at most {@code timeoutSeconds} (then kills it). Its output
     * is read while it runs, so a talkative process never blocks on a full pipe.
     *
     * @return stdout and stderr, combined
     * @throws IllegalStateException when it exits non-zero or times out; the message has the command and
     *                               its output
     */
    public static String run(ProcessBuilder process, int timeoutSeconds) {
        List<String> command = process.command();
        try {
            Process p = process.redirectErrorStream(true).start();
            FutureTask<String> output = new FutureTask<>(
                    () -> new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            Thread.ofVirtual().start(output);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
            }
            String out = output.get();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException | ExecutionException e) {
            throw new IllegalStateException(command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The data nodes of the PostgreSQL formation, by their stable names. */
    public static final List<String> NODES = List.of("primary", "replica1", "replica2");

    /**
     * The node the pg_auto_failover monitor has as the primary now ({@code ./socnet db primary}).
     *
     * @throws IllegalStateException when the monitor knows no primary (mid-failover)
     */
    public static String primaryNode() {
        String out = socnet(30, "db", "primary").strip();
        return out.substring(out.lastIndexOf('\n') + 1).strip();
    }

    /**
     * The formation as the monitor sees it, with its last events ({@code ./socnet db state}), for the
     * message of a failed test: what a reader of a CI log needs to tell a slow failover from a stuck one.
     * Never throws: when it cannot be read, says why.
     */
    public static String formationState() {
        try {
            return socnet(30, "db", "state", "30");
        } catch (IllegalStateException e) {
            return "(formation state unavailable: " + e.getMessage() + ")";
        }
    }

    /** The data nodes that are not {@code primary}. */
    public static List<String> otherNodes(String primary) {
        return NODES.stream().filter(n -> !n.equals(primary)).toList();
    }

    /** The port of a PostgreSQL node, from the environment ./socnet test exports (socnet.env). */
    public static int port(String node) {
        String key = switch (node) {
            case "primary" -> "SOCNET_PG_PORT";
            case "replica1" -> "SOCNET_PG_REPLICA1_PORT";
            case "replica2" -> "SOCNET_PG_REPLICA2_PORT";
            default -> throw new IllegalArgumentException(node);
        };
        String fallback = switch (node) {
            case "primary" -> "15432";
            case "replica1" -> "15433";
            default -> "15434";
        };
        return Integer.parseInt(System.getenv().getOrDefault(key, fallback));
    }

    /** The test database's name ({@code SOCNET_TEST_DB}, default socnet_test). */
    public static String testDatabase() {
        return System.getenv().getOrDefault("SOCNET_TEST_DB", "socnet_test");
    }

    /** A plain JDBC connection to one node's test database, as the application role. */
    public static Connection connect(String node) throws SQLException {
        return connect(node, 0);
    }

    /**
     * A plain JDBC connection to one node's test database, as the application role, that gives up
     * on a silent server: connecting after 2 s, any later read after {@code socketTimeoutSeconds}
     * (0 = never). A client-side timeout, so a commit that waits for a synchronous standby is never
     * reported as done (a server-side statement_timeout would end that wait with a success).
     */
    public static Connection connect(String node, int socketTimeoutSeconds) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port(node) + "/" + testDatabase()
                        + "?connectTimeout=2&socketTimeout=" + socketTimeoutSeconds,
                System.getenv().getOrDefault("SOCNET_DB_USER", "socnet"),
                System.getenv().getOrDefault("SOCNET_DB_PASSWORD", ""));
    }
}
