package dev.socnet.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.socnet.IntegrationTest;
import dev.socnet.feed.SocialApi.Account;
import dev.socnet.feed.SocialApiIntegration;

/**
 * The app's role carries a server-side {@code statement_timeout} ({@code SOCNET_DB_STATEMENT_TIMEOUT},
 * 8 s, set by {@code ./socnet up} with ALTER ROLE): a statement stuck behind a lock is cancelled by the
 * server itself before the client's socket timeout (10 s) gives up on it. So the request answers 503
 * with {@code Retry-After}, nothing is written, and no backend is left waiting on the lock, holding a
 * connection slot and its locks for as long as the blocker lasts (without the setting the client gives
 * up, but the server's backend keeps waiting: this test then fails).
 */
@IntegrationTest
class StatementTimeoutIT extends SocialApiIntegration {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theAppRoleHasTheConfiguredStatementTimeout() {
        String expected = System.getenv().getOrDefault("SOCNET_DB_STATEMENT_TIMEOUT", "8s");
        assertThat(jdbc.sql("show statement_timeout").query(String.class).single()).isEqualTo(expected);
    }

    @Test
    void aStatementStuckBehindALockIsCancelledByTheServer() throws Exception {
        Account author = social.register("Автор");
        try (Connection blocker = dataSource.getConnection(); Statement sql = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            sql.execute("set local statement_timeout = 0");
            // SHARE conflicts with the ROW EXCLUSIVE an insert needs: every new post waits for this
            sql.execute("lock table posts in share mode");
            try {
                long t0 = System.nanoTime();
                var response = api.post("/post/create", Map.of("text", "за блокировкой"), author.auth());
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(response.status()).as(response.body()).isEqualTo(503);
                assertThat(response.header("Retry-After")).isNotBlank();
                assertThat(response.json().path("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
                // the server cancelled the insert: no backend of this database is still waiting on a lock
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                        assertThat(waitingOnLocks(sql)).as("backends waiting on a lock %s after the 503", took).isZero());
            } finally {
                blocker.rollback();
            }
        }
        assertThat(jdbc.sql("select count(*) from posts where author_id = ?::uuid").param(author.id())
                .query(Long.class).single()).as("posts written").isZero();
    }

    private static long waitingOnLocks(Statement sql) throws Exception {
        try (ResultSet rows = sql.executeQuery("""
                select count(*) from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()""")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
