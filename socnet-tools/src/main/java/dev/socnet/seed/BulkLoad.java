package dev.socnet.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * A table made ready for a bulk load and put back afterwards, as the PostgreSQL manual advises
 * ("Populating a Database": remove indexes and foreign keys, load, re-create them): building an
 * index from sorted data once is far cheaper than updating it row by row, and one validating join
 * per foreign key is far cheaper than a lookup per row. The definitions are read from the catalog
 * ({@code pg_get_constraintdef}, {@code pg_get_indexdef}), so what comes back is exactly what the
 * migrations created. CHECK and NOT NULL constraints stay. Everything runs on the caller's
 * connection, inside its transaction: a failed load rolls the drops back too.
 */
final class BulkLoad {

    private final String table;
    private final List<String> keys = new ArrayList<>();
    private final List<String> indexes = new ArrayList<>();
    private final List<String> foreignKeys = new ArrayList<>();

    private BulkLoad(String table) {
        this.table = table;
    }

    /**
     * A connection for bulk and maintenance work: {@code COPY} of millions of rows and index builds
     * that take minutes. The request path's {@code socketTimeout} (seconds, in the JDBC URL) would cut
     * them off midway, so this connection has no read timeout at all ({@link Connection#setNetworkTimeout};
     * the pool restores the URL's value when it is returned). The app role's server-side
     * {@code statement_timeout} ({@code SOCNET_DB_STATEMENT_TIMEOUT}) is lifted by the commands' JDBC URL
     * ({@code options=-c statement_timeout=0}, scripts/lib/app.sh), not here: a SET would stay on the
     * pooled session after it is returned.
     *
     * @throws SQLException when no connection can be had
     */
    static Connection connection(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            liftReadTimeout(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Lifts the read timeout of a pooled connection for bulk work ({@link #connection} explains why);
     * the pool restores the URL's value when the connection is returned.
     */
    static void liftReadTimeout(Connection connection) throws SQLException {
        connection.setNetworkTimeout(Runnable::run, 0);
    }

    /** Drops the primary key, unique constraints, foreign keys and other indexes of {@code table}. */
    static BulkLoad prepare(Connection connection, String table) throws SQLException {
        BulkLoad load = new BulkLoad(table);
        List<String> drops = new ArrayList<>();
        try (PreparedStatement constraints = connection.prepareStatement("""
                select conname, contype, pg_get_constraintdef(oid) from pg_constraint
                 where conrelid = cast(? as regclass) and contype in ('p', 'u', 'f')
                 order by contype = 'f' desc
                """)) {
            constraints.setString(1, table);
            try (ResultSet rs = constraints.executeQuery()) {
                while (rs.next()) {
                    String ddl = "alter table " + table + " add constraint " + rs.getString(1) + " " + rs.getString(3);
                    (rs.getString(2).equals("f") ? load.foreignKeys : load.keys).add(ddl);
                    drops.add("alter table " + table + " drop constraint " + rs.getString(1));
                }
            }
        }
        try (PreparedStatement plainIndexes = connection.prepareStatement("""
                select c.relname, pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid
                 where i.indrelid = cast(? as regclass)
                   and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
                """)) {
            plainIndexes.setString(1, table);
            try (ResultSet rs = plainIndexes.executeQuery()) {
                while (rs.next()) {
                    load.indexes.add(rs.getString(2));
                    drops.add("drop index " + rs.getString(1));
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String drop : drops) {
                statement.execute(drop);
            }
        }
        return load;
    }

    /** Re-creates what {@link #prepare} dropped: keys, then indexes, then foreign keys (validated). */
    void restore(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : keys) {
                statement.execute(ddl);
            }
            for (String ddl : indexes) {
                statement.execute(ddl);
            }
            for (String ddl : foreignKeys) {
                statement.execute(ddl);
            }
        }
    }

    @Override
    public String toString() {
        return table + ": " + keys.size() + " keys, " + indexes.size() + " indexes, " + foreignKeys.size()
                + " foreign keys";
    }
}
