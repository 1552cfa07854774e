package dev.socnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
        try {
            Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The node that is the primary now (.local/pg/primary-node). */
    public static String primaryNode() {
        try {
            Path f = ROOT.resolve(".local/pg/primary-node");
            return Files.exists(f) ? Files.readString(f).strip() : "primary";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port(node) + "/" + testDatabase(),
                System.getenv().getOrDefault("SOCNET_DB_USER", "socnet"),
                System.getenv().getOrDefault("SOCNET_DB_PASSWORD", "socnet"));
    }
}
