package dev.socnet.seed;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.socnet.feed.CelebrityDirectory;

/**
 * Grows a follow graph over the existing users and gives them posts (shape: {@link GraphShape},
 * docs/feed.md): one transaction that drops the keys and indexes of {@code friends} and
 * {@code posts} ({@link BulkLoad}), streams both tables in with {@code COPY}, re-creates keys,
 * indexes and foreign keys, asks the feed module to crown every user past the celebrity threshold
 * ({@link CelebrityDirectory#crownAllPastThreshold}, in this transaction), and commits together with
 * the graph step's completion ({@link SeedSteps}); then {@code VACUUM (ANALYZE)} of both tables. The
 * rows never pass through the application's events, so no fan-out runs: feeds are filled from
 * PostgreSQL when first read.
 *
 * <p>Tables written: {@code friends} and {@code posts} directly (this module is the documented
 * bulk-load owner, docs/seed.md), {@code celebrities} and {@code feed_homes} only through
 * {@link CelebrityDirectory}.
 */
@Service
public class GraphSeeder {

    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final SeedSteps steps;
    private final CelebrityDirectory celebrities;
    private final Clock clock;

    GraphSeeder(DataSource dataSource, PlatformTransactionManager transactionManager, SeedSteps steps,
            CelebrityDirectory celebrities, ObjectProvider<Clock> clock) {
        this.dataSource = dataSource;
        this.transactions = new TransactionTemplate(transactionManager);
        this.steps = steps;
        this.celebrities = celebrities;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * Seeds the graph and posts.
     *
     * @param seed    random seed: the same seed over the same users gives the same graph and posts
     *                (post ids and times differ, they follow the clock)
     * @param replace first empty {@code friends} and {@code posts}, and have the feed module forget its
     *                crownings and filled-feed records ({@code celebrities}, {@code feed_homes}); without
     *                it, the seed refuses to run over existing rows
     * @throws IllegalStateException when the graph tables already hold rows (and not {@code replace}),
     *         when there are too few users, or when the database refuses; nothing is changed then
     */
    public GraphReport seed(long seed, boolean replace) {
        steps.started(SeedSteps.Step.GRAPH);
        GraphReport report;
        try {
            // the connection bound to this transaction: the feed module's statements (crowning) run on it too
            report = transactions.execute(status -> {
                Connection connection = DataSourceUtils.getConnection(dataSource);
                try {
                    BulkLoad.liftReadTimeout(connection);
                    GraphReport loaded = seedInTransaction(connection, seed, replace);
                    SeedSteps.completed(connection, SeedSteps.Step.GRAPH, loaded.follows() + " follows, "
                            + loaded.posts() + " posts, " + loaded.crowned() + " celebrities");
                    return loaded;
                } catch (SQLException e) {
                    throw new IllegalStateException("seeding the graph failed: " + e.getMessage(), e);
                }
            });
        } catch (DataAccessException e) {
            throw new IllegalStateException("seeding the graph failed: " + e.getMostSpecificCause().getMessage(), e);
        }
        long vacuumStarted = System.nanoTime();
        try (Connection connection = BulkLoad.connection(dataSource); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("VACUUM (ANALYZE) friends");
            statement.execute("VACUUM (ANALYZE) posts");
        } catch (SQLException e) {
            throw new IllegalStateException("committed the graph, but VACUUM (ANALYZE) failed: " + e.getMessage(), e);
        }
        Duration vacuum = Duration.ofNanos(System.nanoTime() - vacuumStarted);
        return new GraphReport(report.users(), report.follows(), report.followeesMedian(), report.followeesP90(),
                report.followeesMax(), report.celebrityFollowers(), report.crowned(), report.posts(),
                report.copy(), report.indexes(), vacuum);
    }

    private GraphReport seedInTransaction(Connection connection, long seed, boolean replace) throws SQLException {
        SeedSteps.lock(connection, SeedSteps.Step.GRAPH);
        try (Statement statement = connection.createStatement()) {
            if (replace) {
                statement.execute("truncate friends, posts");
                celebrities.forgetAllCrowningsAndFilledFeeds();
            } else if (exists(statement, "select exists (select 1 from friends) or exists (select 1 from posts)")) {
                throw new IllegalStateException("friends or posts already hold rows; seed-graph --replace (./socnet seed --graph --replace) empties "
                        + "friends, posts, celebrities and feed_homes first");
            }
        }
        String[] users = userIds(connection);
        GraphShape shape = new GraphShape(users.length);
        RandomGenerator random = RandomGeneratorFactory.of(PeopleGenerator.RANDOM_ALGORITHM).create(seed);
        Roles roles = Roles.draw(users.length, random);

        long copyStarted = System.nanoTime();
        BulkLoad friendsLoad = BulkLoad.prepare(connection, "friends");
        BulkLoad postsLoad = BulkLoad.prepare(connection, "posts");
        Follows follows = copy(connection, "COPY friends (follower_id, followee_id) FROM STDIN (FORMAT text)",
                out -> writeFollows(out, users, shape, roles, random));
        long posts = copy(connection, "COPY posts (id, author_id, text, created_at) FROM STDIN (FORMAT text)",
                out -> writePosts(out, users, shape, roles, random));
        Duration copy = Duration.ofNanos(System.nanoTime() - copyStarted);

        long indexesStarted = System.nanoTime();
        friendsLoad.restore(connection);
        postsLoad.restore(connection);
        long crowned = celebrities.crownAllPastThreshold();
        Duration indexes = Duration.ofNanos(System.nanoTime() - indexesStarted);
        return new GraphReport(users.length, follows.rows(), follows.percentile(50), follows.percentile(90),
                follows.max(), follows.celebrityFollowers(), crowned, posts, copy, indexes, Duration.ZERO);
    }

    /** Every user's id as text, in id order (index = position in this array). */
    private static String[] userIds(Connection connection) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select id from users order by id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids.toArray(String[]::new);
    }

    private Follows writeFollows(Writer out, String[] users, GraphShape shape, Roles roles, RandomGenerator random)
            throws IOException {
        Follows follows = new Follows();
        Set<Integer> followees = new HashSet<>();
        for (int user = 0; user < users.length; user++) {
            followees.clear();
            int wanted = shape.followees(random);
            for (int rank = 1; rank <= GraphShape.CELEBRITIES; rank++) {
                if (shape.followsCelebrity(rank, random)) {
                    followees.add(roles.celebrities()[rank - 1]);
                }
            }
            for (int n = shape.notablesFollowed(random); n > 0; n--) {
                followees.add(roles.notables()[shape.notableRank(random) - 1]);
            }
            while (followees.size() < wanted) {
                followees.add(random.nextInt(users.length));
            }
            followees.remove(user);
            for (int followee : followees) {
                out.write(users[user]);
                out.write('\t');
                out.write(users[followee]);
                out.write('\n');
                follows.count(followee, roles);
            }
            follows.followeesOf(followees.size());
        }
        return follows;
    }

    private long writePosts(Writer out, String[] users, GraphShape shape, Roles roles, RandomGenerator random)
            throws IOException {
        long now = clock.millis();
        long history = Duration.ofDays(GraphShape.POST_HISTORY_DAYS).toMillis();
        long rows = 0;
        for (int user = 0; user < users.length; user++) {
            for (int n = shape.posts(roles.kind(user), random); n > 0; n--) {
                long createdAt = now - random.nextLong(history);
                out.write(uuidV7(createdAt, random).toString());
                out.write('\t');
                out.write(users[user]);
                out.write('\t');
                out.write(PostTexts.next(random));
                out.write('\t');
                out.write(Instant.ofEpochMilli(createdAt).toString());
                out.write('\n');
                rows++;
            }
        }
        return rows;
    }

    /** A UUIDv7 (RFC 9562, 5.7) of the given Unix millisecond, the rest random: what the app gives a post. */
    static UUID uuidV7(long epochMillis, RandomGenerator random) {
        long high = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    private static boolean exists(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    @FunctionalInterface
    private interface Rows<T> {
        T writeTo(Writer out) throws IOException;
    }

    /** Streams rows into one COPY and checks the server stored them all. */
    private static <T> T copy(Connection connection, String sql, Rows<T> rows) throws SQLException {
        var copyOut = new PGCopyOutputStream(connection.unwrap(PGConnection.class), sql, UsersTable.COPY_BUFFER_BYTES);
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(copyOut, StandardCharsets.UTF_8),
                    UsersTable.WRITER_BUFFER_CHARS);
            T result = rows.writeTo(out);
            out.flush();
            copyOut.endCopy();
            return result;
        } catch (IOException e) {
            if (copyOut.isActive()) {
                copyOut.cancelCopy();
            }
            throw new UncheckedIOException("COPY failed: " + e.getMessage(), e);
        }
    }

    /** Which user indexes are celebrities (rank order) and notables, drawn without repetition. */
    private record Roles(int[] celebrities, int[] notables, GraphShape.AuthorKind[] kinds) {

        static Roles draw(int users, RandomGenerator random) {
            int[] order = new int[users];
            for (int i = 0; i < users; i++) {
                order[i] = i;
            }
            int picked = GraphShape.CELEBRITIES + GraphShape.NOTABLES;
            for (int i = 0; i < picked; i++) {
                int j = i + random.nextInt(users - i);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            int[] celebrities = Arrays.copyOfRange(order, 0, GraphShape.CELEBRITIES);
            int[] notables = Arrays.copyOfRange(order, GraphShape.CELEBRITIES, picked);
            GraphShape.AuthorKind[] kinds = new GraphShape.AuthorKind[users];
            Arrays.fill(kinds, GraphShape.AuthorKind.ORDINARY);
            for (int c : celebrities) {
                kinds[c] = GraphShape.AuthorKind.CELEBRITY;
            }
            for (int n : notables) {
                kinds[n] = GraphShape.AuthorKind.NOTABLE;
            }
            return new Roles(celebrities, notables, kinds);
        }

        GraphShape.AuthorKind kind(int user) {
            return kinds[user];
        }
    }

    /** Counts while the follows are written: rows, followees per user, celebrities' followers. */
    private static final class Follows {
        private final long[] followeeHistogram = new long[GraphShape.MAX_FOLLOWEES + GraphShape.CELEBRITIES + 64];
        private final int[] celebrityFollowers = new int[GraphShape.CELEBRITIES];
        private long rows;
        private long users;

        void count(int followee, Roles roles) {
            rows++;
            if (roles.kind(followee) == GraphShape.AuthorKind.CELEBRITY) {
                for (int rank = 0; rank < GraphShape.CELEBRITIES; rank++) {
                    if (roles.celebrities()[rank] == followee) {
                        celebrityFollowers[rank]++;
                    }
                }
            }
        }

        void followeesOf(int count) {
            followeeHistogram[Math.min(count, followeeHistogram.length - 1)]++;
            users++;
        }

        long rows() {
            return rows;
        }

        int percentile(int p) {
            long target = (long) Math.ceil(users * p / 100.0);
            long seen = 0;
            for (int count = 0; count < followeeHistogram.length; count++) {
                seen += followeeHistogram[count];
                if (seen >= target) {
                    return count;
                }
            }
            return followeeHistogram.length - 1;
        }

        int max() {
            for (int count = followeeHistogram.length - 1; count > 0; count--) {
                if (followeeHistogram[count] > 0) {
                    return count;
                }
            }
            return 0;
        }

        List<Integer> celebrityFollowers() {
            return Arrays.stream(celebrityFollowers).boxed().toList();
        }
    }
}
