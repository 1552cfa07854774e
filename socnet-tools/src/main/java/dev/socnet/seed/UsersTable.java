package dev.socnet.seed;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;

import javax.sql.DataSource;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Bulk loads into {@code users}: one {@code COPY ... FROM STDIN} inside one transaction, then
 * {@code VACUUM (ANALYZE) users} on autocommit (VACUUM cannot run inside a transaction; it sets the
 * visibility map so that people search can use index-only scans, and refreshes planner statistics).
 */
@Component
class UsersTable {

    /** Bytes PgJDBC collects before sending a CopyData message. */
    static final int COPY_BUFFER_BYTES = 256 * 1024;

    /** Characters collected before they are encoded to UTF-8. */
    static final int WRITER_BUFFER_CHARS = 64 * 1024;

    private static final String VACUUM_SQL = "VACUUM (ANALYZE) users";

    /** Rows produced on the fly and handed to {@link UsersCopy#add}. */
    @FunctionalInterface
    interface UserSource {
        /**
         * Writes every row. A runtime exception thrown here cancels the COPY and rolls back
         * the transaction, then propagates unchanged.
         */
        void writeTo(UsersCopy copy) throws IOException;
    }

    private final DataSource dataSource;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();

    private final SeedSteps steps;
    private final Clock clock;

    UsersTable(DataSource dataSource, SeedSteps steps, ObjectProvider<Clock> clock) {
        this.dataSource = dataSource;
        this.steps = steps;
        this.clock = clock.getIfAvailable(Clock::systemDefaultZone);
    }

    /** The day of the load, in the system's zone (or a {@code Clock} bean's): the reference of the users' ages. */
    LocalDate today() {
        return LocalDate.now(clock);
    }

    /**
     * Streams {@code source} into {@code users} and commits, or inserts nothing at all. The users
     * step of {@link SeedSteps} is marked started first and completed in the same transaction.
     *
     * @param password the shared password; its hash goes into every row
     * @return the committed load
     * @throws UncheckedIOException when {@code source} or the COPY stream fails with an I/O error
     * @throws IllegalStateException when the database refuses the rows or the commit (nothing is
     *         inserted), or when the VACUUM after the commit fails (the rows stay)
     * @throws RuntimeException anything {@code source} throws, after the rollback
     */
    LoadReport load(SharedPassword password, UserSource source) {
        steps.started(SeedSteps.Step.USERS);
        try (Connection connection = BulkLoad.connection(dataSource)) {
            long loadStarted = System.nanoTime();
            UsersCopy copy = copyInTransaction(connection, password, source);
            Duration load = Duration.ofNanos(System.nanoTime() - loadStarted);

            long vacuumStarted = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute(VACUUM_SQL);
            } catch (SQLException e) {
                throw new IllegalStateException("committed " + copy.rows() + " users, but " + VACUUM_SQL
                        + " failed: " + e.getMessage(), e);
            }
            Duration vacuum = Duration.ofNanos(System.nanoTime() - vacuumStarted);
            return new LoadReport(copy.rows(), copy.firstId(), copy.lastId(), password.plain(), load, vacuum);
        } catch (SQLException e) {
            throw new IllegalStateException("loading users failed: " + e.getMessage(), e);
        }
    }

    private UsersCopy copyInTransaction(Connection connection, SharedPassword password, UserSource source)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            SeedSteps.lock(connection, SeedSteps.Step.USERS);
            var copyOut = new PGCopyOutputStream(connection.unwrap(PGConnection.class), UsersCopy.COPY_SQL,
                    COPY_BUFFER_BYTES);
            Writer text = new BufferedWriter(new OutputStreamWriter(copyOut, StandardCharsets.UTF_8),
                    WRITER_BUFFER_CHARS);
            UsersCopy copy = new UsersCopy(text, ids, password.bcryptHash());
            try {
                source.writeTo(copy);
                copy.flush();
                long copied = copyOut.endCopy();
                if (copied != copy.rows()) {
                    throw new IllegalStateException("COPY stored " + copied + " rows, expected " + copy.rows());
                }
            } catch (IOException e) {
                cancel(copyOut, e);
                throw new UncheckedIOException("loading users failed: " + e.getMessage(), e);
            } catch (RuntimeException | SQLException e) {
                cancel(copyOut, e);
                throw e;
            }
            SeedSteps.completed(connection, SeedSteps.Step.USERS, copy.rows() + " users");
            connection.commit();
            return copy;
        } catch (RuntimeException | SQLException e) {
            rollback(connection, e);
            throw e;
        }
    }

    private static void cancel(PGCopyOutputStream copyOut, Exception cause) {
        if (copyOut.isActive()) {
            try {
                copyOut.cancelCopy();
            } catch (SQLException cancelFailure) {
                // The server reports the cancelled COPY as an error; the rollback that follows cleans up.
                cause.addSuppressed(cancelFailure);
            }
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
