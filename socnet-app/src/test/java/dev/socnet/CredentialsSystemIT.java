package dev.socnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

/**
 * No default credentials, on the running cluster (issue 13, docs/security.md):
 * <ul>
 *   <li>the application role's database password is generated ({@code .local/secrets.env}, mode 0600),
 *       not the committed {@code socnet/socnet} of older checkouts — which PostgreSQL now refuses;</li>
 *   <li>Redis answers nobody without its ACL user and generated password (the default user is off);</li>
 *   <li>RabbitMQ has no guest; the application's generated user connects;</li>
 *   <li>no local OS user but postgres reaches a PostgreSQL node's unix socket (main formation, monitor,
 *       Citus nodes): the socket directory is mode 0700 and the socket rules are {@code peer}, where
 *       {@code trust} on world-connectable sockets used to make every local user a superuser;</li>
 *   <li>pg_auto_failover's own roles (the replicator is a superuser) need their generated password over
 *       loopback TCP, where they were trusted.</li>
 * </ul>
 */
class CredentialsSystemIT {

    private static final Path LOCAL = LocalCluster.ROOT.resolve(".local");
    private static final String PSQL = "/usr/lib/postgresql/15/bin/psql";

    @Test
    void theDatabasePasswordIsGeneratedAndTheOldDefaultIsRefused() throws Exception {
        String generated = System.getenv("SOCNET_DB_PASSWORD");
        assertThat(generated).as("SOCNET_DB_PASSWORD from .local/secrets.env").isNotBlank().isNotEqualTo("socnet")
                .hasSizeGreaterThanOrEqualTo(32);
        assertThat(Files.readString(LocalCluster.ROOT.resolve("socnet.env")))
                .as("the committed socnet.env carries no password").doesNotContain("SOCNET_DB_PASSWORD=");
        assertThat(Files.getPosixFilePermissions(LOCAL.resolve("secrets.env")))
                .as(".local/secrets.env is readable by its owner only")
                .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        try (var c = LocalCluster.connect(LocalCluster.primaryNode())) {
            assertThat(c.isValid(2)).isTrue();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + LocalCluster.port(LocalCluster.primaryNode()) + "/"
                + LocalCluster.testDatabase() + "?connectTimeout=2";
        Properties old = new Properties();
        old.setProperty("user", System.getenv().getOrDefault("SOCNET_DB_USER", "socnet"));
        old.setProperty("password", "socnet");
        assertThatThrownBy(() -> DriverManager.getConnection(url, old).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("invalid password").isEqualTo("28P01"));
    }

    @Test
    void redisRefusesClientsWithoutTheGeneratedPassword() {
        int port = Integer.parseInt(System.getenv().getOrDefault("SOCNET_REDIS_PORT", "16379"));
        String user = System.getenv().getOrDefault("SOCNET_REDIS_USER", "socnet");
        String password = System.getenv("SOCNET_REDIS_PASSWORD");
        assertThat(password).as("SOCNET_REDIS_PASSWORD from .local/secrets.env").isNotBlank();

        RedisURI anonymous = RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build();
        RedisClient client = RedisClient.create();
        try {
            // Lettuce's handshake (HELLO) or, without one, the first command: NOAUTH either way
            assertThatThrownBy(() -> {
                try (StatefulRedisConnection<String, String> c = client.connect(anonymous)) {
                    c.sync().get("feed:home:1");
                }
            }).satisfies(e -> assertThat(messages(e)).as("the refusal").contains("NOAUTH"));
            RedisURI wrong = RedisURI.builder().withHost("127.0.0.1").withPort(port)
                    .withAuthentication(user, "socnet").withTimeout(Duration.ofSeconds(2)).build();
            assertThatThrownBy(() -> client.connect(wrong).close())
                    .isInstanceOf(RedisConnectionException.class)
                    .satisfies(e -> assertThat(messages(e)).as("the refusal").contains("WRONGPASS"));
            RedisURI ours = RedisURI.builder().withHost("127.0.0.1").withPort(port)
                    .withAuthentication(user, password).withTimeout(Duration.ofSeconds(2)).build();
            try (StatefulRedisConnection<String, String> c = client.connect(ours)) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            client.shutdown();
        }
    }

    /** Every node of the RabbitMQ cluster: users are the cluster's, so no node may know guest. */
    @Test
    void rabbitMqHasNoGuestAndAcceptsTheGeneratedUser() throws Exception {
        String ports = System.getenv().getOrDefault("SOCNET_RABBITMQ_PORTS", "15670");
        String password = System.getenv("SOCNET_RABBITMQ_PASSWORD");
        assertThat(password).as("SOCNET_RABBITMQ_PASSWORD from .local/secrets.env").isNotBlank();
        for (String word : ports.trim().split("\\s+")) {
            int port = Integer.parseInt(word);
            com.rabbitmq.client.ConnectionFactory guest = new com.rabbitmq.client.ConnectionFactory();
            guest.setHost("127.0.0.1");
            guest.setPort(port);
            guest.setUsername("guest");
            guest.setPassword("guest");
            guest.setConnectionTimeout(5000);
            assertThatThrownBy(() -> guest.newConnection("credentials-it").close())
                    .as("guest/guest on :%d", port)
                    .isInstanceOf(com.rabbitmq.client.AuthenticationFailureException.class);
            com.rabbitmq.client.ConnectionFactory ours = new com.rabbitmq.client.ConnectionFactory();
            ours.setHost("127.0.0.1");
            ours.setPort(port);
            ours.setUsername(System.getenv().getOrDefault("SOCNET_RABBITMQ_USER", "socnet"));
            ours.setPassword(password);
            ours.setConnectionTimeout(5000);
            try (var connection = ours.newConnection("credentials-it")) {
                assertThat(connection.isOpen()).as("the generated user on :%d", port).isTrue();
            }
        }
    }

    @Test
    void onlyThePostgresOsUserReachesTheDatabaseSockets() throws Exception {
        Path sockets = LOCAL.resolve("run");
        assertThat(Files.getPosixFilePermissions(sockets)).as("mode of " + sockets)
                .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);

        List<Integer> ports = new ArrayList<>();
        for (String node : LocalCluster.NODES) {
            ports.add(LocalCluster.port(node));
        }
        ports.add(Integer.parseInt(System.getenv().getOrDefault("SOCNET_PG_MONITOR_PORT", "15435")));
        ports.add(Integer.parseInt(System.getenv().getOrDefault("SOCNET_DIALOGS_PG_PORT", "15440")));
        for (int port : ports) {
            // the superuser's own OS account gets in (peer), as ./socnet's maintenance does ...
            Result postgres = run("runuser", "-u", "postgres", "--", PSQL, "-X", "-At", "-h", sockets.toString(),
                    "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c",
                    "select string_agg(distinct auth_method, ',') from pg_hba_file_rules where type = 'local'");
            assertThat(postgres.exit()).as("postgres over the socket of :%d: %s", port, postgres.output()).isZero();
            assertThat(postgres.output().strip()).as("authentication of the socket rules on :%d", port).isEqualTo("peer");
            // ... any other local account does not, not even as the superuser's name
            Result nobody = run("runuser", "-u", "nobody", "--", PSQL, "-X", "-At", "-h", sockets.toString(),
                    "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c", "select 1");
            assertThat(nobody.exit()).as("OS user nobody as postgres over the socket of :%d: %s", port, nobody.output())
                    .isNotZero();
            assertThat(nobody.output()).doesNotContain("\n1\n").doesNotStartWith("1");
        }
    }

    @Test
    void pgAutoFailoversOwnRolesNeedTheirPasswordOverLoopback() {
        int monitor = Integer.parseInt(System.getenv().getOrDefault("SOCNET_PG_MONITOR_PORT", "15435"));
        record Login(int port, String user, String database) {
        }
        List<Login> logins = new ArrayList<>();
        for (String node : LocalCluster.NODES) {
            logins.add(new Login(LocalCluster.port(node), "pgautofailover_replicator", "postgres"));
            logins.add(new Login(LocalCluster.port(node), "pgautofailover_monitor", "postgres"));
        }
        logins.add(new Login(monitor, "autoctl_node", "pg_auto_failover"));
        for (Login login : logins) {
            Properties none = new Properties();
            none.setProperty("user", login.user());
            none.setProperty("connectTimeout", "2");
            // a superuser (the replicator) or the formation's control (autoctl_node): trusted on loopback
            // before, so any local OS user could connect as them
            assertThatThrownBy(() -> DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + login.port() + "/" + login.database(), none).close())
                    .as("%s on :%d without a password", login.user(), login.port())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08004"));
        }
    }

    /** The messages of a throwable and its causes, one per line. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("no answer in 20 s: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
