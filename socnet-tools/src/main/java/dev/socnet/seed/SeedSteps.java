package dev.socnet.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * The record of which seed steps ran to the end ({@code seed_steps}, migration V14), read by
 * {@code ./socnet up} to decide what to load or redo.
 *
 * <p>A step is marked {@linkplain #started started} on its own autocommitted statement before it
 * begins, and {@linkplain #completed completed} on the step's own connection, inside the transaction
 * that loads its rows. So a completed step always has its data, and a step killed or failed midway
 * (its rows rolled back) is left "started, not completed", which {@code ./socnet up} reports and redoes.
 */
@Component
class SeedSteps {

    /** The steps, as named in {@code seed_steps.step}. */
    enum Step {
        /** The users table: {@code seed --users N} or {@code import FILE}. */
        USERS("users"),
        /** Follows, posts and celebrities: {@code seed-graph}. */
        GRAPH("graph");

        final String column;

        Step(String column) {
            this.column = column;
        }
    }

    private final DataSource dataSource;

    SeedSteps(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records that {@code step} begins, committed at once on a connection of its own. A step that
     * completed before stays completed: its rows are there until a later run of it commits new ones.
     *
     * @throws IllegalStateException when the database refuses
     */
    void started(Step step) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        insert into seed_steps (step, started_at) values (?, now())
                        on conflict (step) do update set started_at = now() where seed_steps.completed_at is null
                        """)) {
            connection.setAutoCommit(true);
            upsert.setString(1, step.column);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording the start of the " + step.column + " step failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Takes the step's transaction-scoped advisory lock on {@code transaction}, so that two runs of one
     * step (an {@code up} killed while its command went on, and the next {@code up}) never load at once.
     *
     * @throws IllegalStateException when another run of the step holds it
     * @throws SQLException when the database refuses
     */
    static void lock(Connection transaction, Step step) throws SQLException {
        try (PreparedStatement lock = transaction.prepareStatement(
                "select pg_try_advisory_xact_lock(hashtext('socnet.seed_steps.' || ?))")) {
            lock.setString(1, step.column);
            try (var rs = lock.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalStateException("another run of the " + step.column
                            + " step is loading right now; wait for it to end (or stop it) and run again");
                }
            }
        }
    }

    /**
     * Records that {@code step} completed, inside the caller's open transaction on {@code transaction}:
     * it commits or rolls back with the step's rows.
     *
     * @param detail what the step loaded, one line (e.g. {@code "1000000 users"})
     * @throws SQLException when the database refuses (the caller rolls back)
     */
    static void completed(Connection transaction, Step step, String detail) throws SQLException {
        // clock_timestamp(): now() is the transaction's start, minutes before a bulk load commits
        try (PreparedStatement upsert = transaction.prepareStatement("""
                insert into seed_steps (step, started_at, completed_at, detail) values (?, now(), clock_timestamp(), ?)
                on conflict (step) do update set completed_at = clock_timestamp(), detail = excluded.detail
                """)) {
            upsert.setString(1, step.column);
            upsert.setString(2, detail);
            upsert.executeUpdate();
        }
    }
}
