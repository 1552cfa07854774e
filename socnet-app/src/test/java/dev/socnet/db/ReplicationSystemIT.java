package dev.socnet.db;

import static dev.socnet.ApiClient.q;
import static dev.socnet.LocalCluster.socnet;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socnet.ApiClient;
import dev.socnet.IntegrationTest;
import dev.socnet.LocalCluster;

/**
 * System tests of the PostgreSQL formation as operators and users see it, on the real pg_auto_failover
 * formation (monitor, primary, two standbys, quorum commit ANY 1): reads go to a caught-up standby and
 * fall back to the primary when the standbys lag; reads survive a standby loss; and, with no command
 * of ours, the engine fails over a crashed primary, a crashed primary with a lagging standby, and a
 * hung primary, losing no acknowledged write, while the app keeps serving reads without a restart.
 * Each test leaves the formation with a primary and two streaming standbys (which node is which may
 * change: roles move on failover). Waits are bounded by progress (no acknowledged write for
 * {@link #NO_PROGRESS}), not by a total time budget.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationSystemIT {

    /** A failover that has acknowledged no write for this long has failed. */
    static final Duration NO_PROGRESS = Duration.ofSeconds(90);

    /** The profile read of {@code /user/get}, as pg_stat_statements normalises it. */
    static final String PROFILE_READ = "select % from users where id = $1";

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    /**
     * Every node started and the formation healthy again, for the next test and the next test class (a
     * formation left broken fails every later test of the run). A node whose PostgreSQL does not answer
     * within 120 s of its keeper running is stopped and started once more, and a formation still broken
     * fails with the monitor's view of it.
     */
    @AfterEach
    void restoreFormation() {
        for (String node : LocalCluster.NODES) {
            try {
                socnet(120, "db", "start", node);
            } catch (IllegalStateException e) {
                System.out.printf("restoring the formation: %s did not start (%s); the monitor's view:%n%s%n"
                        + "stopping and starting it again%n", node, e.getMessage(), LocalCluster.formationState());
                socnet(180, "db", "stop", node);
                socnet(180, "db", "start", node);
            }
        }
        try {
            socnet(300, "db", "wait", "240");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the formation did not recover: " + LocalCluster.formationState(), e);
        }
        for (String node : LocalCluster.NODES) {
            socnet(30, "db", "delay", node, "0");
        }
    }

    @Test
    @Order(1)
    void readsGoToACaughtUpStandbyAndFallBackToThePrimaryWhileBothStandbysLag() throws Exception {
        String primary = LocalCluster.primaryNode();
        List<String> standbys = LocalCluster.otherNodes(primary);

        // caught up: the profile exists on both standbys, so the primary serves none of its reads
        String id = register("Свежая", "Реплика", "secret-0");
        for (String standby : standbys) {
            awaitVisible(standby, id);
        }
        Map<String, Long> before = profileReadsPerNode();
        for (int i = 0; i < 20; i++) {
            assertThat(api.get("/user/get/" + id).status()).isEqualTo(200);
        }
        Map<String, Long> caughtUp = delta(before, profileReadsPerNode());
        System.out.printf("profile reads with caught-up standbys: %s%n", caughtUp);
        assertThat(standbys.stream().mapToLong(caughtUp::get).sum()).as("profile reads served by standbys")
                .isGreaterThanOrEqualTo(20);
        assertThat(caughtUp.get(primary)).as("profile reads served by the primary %s", primary).isZero();

        // lagging: both standbys replay 3 s late; a fresh registration is read back from the primary
        for (String standby : standbys) {
            socnet(30, "db", "delay", standby, "3000");
        }
        before = profileReadsPerNode();
        for (int i = 0; i < 5; i++) {
            String fresh = register("Лаг", "Реплики" + i, "secret-" + i);
            assertThat(api.post("/login", Map.of("id", fresh, "password", "secret-" + i)).status()).isEqualTo(200);
            var profile = api.get("/user/get/" + fresh);
            assertThat(profile.status()).as("profile right after registration").isEqualTo(200);
            assertThat(profile.json().path("second_name").asString()).isEqualTo("Реплики" + i);
        }
        Map<String, Long> lagging = delta(before, profileReadsPerNode());
        System.out.printf("profile reads with standbys 3 s behind: %s%n", lagging);
        assertThat(standbys.stream().mapToLong(lagging::get).sum()).as("misses on the lagging standbys")
                .isGreaterThanOrEqualTo(5);
        assertThat(lagging.get(primary)).as("fallback reads on the primary %s", primary).isGreaterThanOrEqualTo(5);
    }

    @Test
    @Order(2)
    void readsKeepAnsweringWhenAStandbyStops() throws Exception {
        String standby = LocalCluster.otherNodes(LocalCluster.primaryNode()).getFirst();
        String id = register("Чтение", "Доступность", "secret-1");
        AtomicLong stoppedAtNanos = new AtomicLong(Long.MAX_VALUE);
        AtomicLong failedAfterSwitch = new AtomicLong();
        try (Traffic traffic = new Traffic(0, 4, id)) {
            traffic.onFailedRead = () -> {
                // overflow-safe: before the stop returned (MAX_VALUE) a read that fails is not "after"
                long stoppedAt = stoppedAtNanos.get();
                if (stoppedAt != Long.MAX_VALUE && System.nanoTime() - stoppedAt > Duration.ofSeconds(2).toNanos()) {
                    failedAfterSwitch.incrementAndGet();
                }
            };
            traffic.awaitReads(200);
            socnet(60, "db", "stop", standby);
            stoppedAtNanos.set(System.nanoTime());
            traffic.awaitReads(traffic.reads() + 400);
            traffic.stop();
            System.out.printf("read availability: %s, %d failed 2 s after %s stopped%n", traffic.readSummary(),
                    failedAfterSwitch.get(), standby);
            traffic.assertReadsServed();
            assertThat(failedAfterSwitch.get()).as("errors 2 s after the standby stopped").isZero();
        }
    }

    @Test
    @Order(3)
    void aCrashedPrimaryIsFailedOverWithNoCommandAndNoAcknowledgedWriteIsLost() throws Exception {
        String oldPrimary = LocalCluster.primaryNode();
        String readId = register("Авария", "Читатель", "secret-1");
        try (Traffic traffic = new Traffic(4, 2, readId)) {
            traffic.awaitAcks(200);
            socnet(30, "db", "kill", oldPrimary);
            long killedAt = System.nanoTime(); // the kill has landed when the command returns
            long firstWrite = traffic.awaitAckAfter(killedAt);
            traffic.awaitAcks(traffic.acked.size() + 100);
            traffic.stop();
            String newPrimary = LocalCluster.primaryNode();
            System.out.printf("crash of %s: %s is the primary; first write %d ms after the kill; %s; %s%n",
                    oldPrimary, newPrimary, (firstWrite - killedAt) / 1_000_000, traffic.writeSummary(),
                    traffic.readSummary());
            assertThat(newPrimary).isNotEqualTo(oldPrimary);
            traffic.assertEveryAcknowledgedWriteOn(newPrimary);
            traffic.assertReadsServed();
        }
    }

    @Test
    @Order(4)
    void aCrashedPrimaryWithALaggingStandbyLosesNoAcknowledgedWrite() throws Exception {
        String oldPrimary = LocalCluster.primaryNode();
        List<String> standbys = LocalCluster.otherNodes(oldPrimary);
        String lagging = standbys.get(0);
        String other = standbys.get(1);
        String readId = register("Отстающая", "Реплика", "secret-1");
        // lagging holds every acknowledged commit (flushed) but replays 5 s late; other is ahead in
        // replay but stops receiving shortly before the crash: ranking by replay LSN would promote
        // other and lose the last acknowledged writes
        socnet(30, "db", "delay", lagging, "5000");
        boolean paused = false;
        try (Traffic traffic = new Traffic(4, 2, readId)) {
            traffic.awaitAcks(200);
            socnet(30, "db", "pause", other);
            paused = true;
            int acksBeforePause = traffic.acked.size();
            traffic.awaitAcks(acksBeforePause + 100);
            socnet(30, "db", "kill", oldPrimary);
            long killedAt = System.nanoTime();
            socnet(30, "db", "resume", other);
            paused = false;
            long firstWrite = traffic.awaitAckAfter(killedAt);
            traffic.awaitAcks(traffic.acked.size() + 100);
            traffic.stop();
            String newPrimary = LocalCluster.primaryNode();
            System.out.printf("crash of %s with %s replaying 5 s late and %s paused: %s is the primary; "
                            + "%d writes acknowledged while %s was paused; first write %d ms after the kill; %s; %s%n",
                    oldPrimary, lagging, other, newPrimary, traffic.acked.size() - acksBeforePause, other,
                    (firstWrite - killedAt) / 1_000_000, traffic.writeSummary(), traffic.readSummary());
            assertThat(newPrimary).isNotEqualTo(oldPrimary);
            traffic.assertEveryAcknowledgedWriteOn(newPrimary);
            traffic.assertReadsServed();
        } finally {
            if (paused) {
                socnet(30, "db", "resume", other);
            }
        }
    }

    @Test
    @Order(5)
    void aHungPrimaryThatReturnsAcceptsNoWrite() throws Exception {
        String oldPrimary = LocalCluster.primaryNode();
        try (Connection c = LocalCluster.connect(oldPrimary); Statement s = c.createStatement()) {
            s.execute("create table if not exists failover_probe (id bigint primary key)");
            s.execute("truncate failover_probe");
        }
        String readId = register("Зависание", "Читатель", "secret-1");
        boolean paused = false;
        try (Traffic traffic = new Traffic(4, 2, readId)) {
            traffic.awaitAcks(200);
            socnet(30, "db", "pause", oldPrimary);
            long pausedAt = System.nanoTime();
            paused = true;
            // held stopped until the monitor has another primary: longer than its failover timeouts
            String newPrimary = traffic.awaitPrimaryOtherThan(oldPrimary);
            long firstWrite = traffic.awaitAckAfter(pausedAt);
            socnet(30, "db", "resume", oldPrimary);
            paused = false;
            long resumedAt = System.nanoTime();

            // writes tried directly on the old primary, each on a fresh connection, until it has
            // rejoined as a standby (or 20 s passed); a commit counts only when the client got it
            int committed = 0;
            int refused = 0;
            long n = 0;
            while (System.nanoTime() - resumedAt < Duration.ofSeconds(20).toNanos()) {
                try (Connection c = LocalCluster.connect(oldPrimary, 3); Statement s = c.createStatement()) {
                    s.executeUpdate("insert into failover_probe values (" + n++ + ")");
                    committed++;
                } catch (SQLException e) {
                    refused++;
                    Thread.sleep(200);
                }
            }
            traffic.awaitAcks(traffic.acked.size() + 100);
            traffic.stop();
            System.out.printf("hang of %s: %s is the primary; first write %d ms after SIGSTOP; after SIGCONT "
                            + "%d direct writes committed on %s, %d refused; %s; %s%n",
                    oldPrimary, newPrimary, (firstWrite - pausedAt) / 1_000_000, committed, oldPrimary, refused,
                    traffic.writeSummary(), traffic.readSummary());
            assertThat(newPrimary).isNotEqualTo(oldPrimary);
            assertThat(committed).as("writes committed on the returned old primary %s", oldPrimary).isZero();
            assertThat(refused).isPositive();
            traffic.assertEveryAcknowledgedWriteOn(newPrimary);
            traffic.assertReadsServed();
        } finally {
            if (paused) {
                socnet(30, "db", "resume", oldPrimary);
            }
        }
        socnet(300, "db", "wait", "240");
        try (Connection c = LocalCluster.connect(LocalCluster.primaryNode());
                ResultSet rs = c.createStatement().executeQuery("select count(*) from failover_probe")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows of the direct writes in the formation (no split brain)").isZero();
        }
    }

    private String register(String firstName, String secondName, String password) {
        var response = api.post("/user/register", Map.of("first_name", firstName, "second_name", secondName,
                "birthdate", "1990-01-01", "password", password));
        assertThat(response.status()).isEqualTo(200);
        return response.json().path("user_id").asString();
    }

    private static void awaitVisible(String node, String id) throws Exception {
        long lastChange = System.nanoTime();
        while (true) {
            try (Connection c = LocalCluster.connect(node);
                    PreparedStatement p = c.prepareStatement("select count(*) from users u where u.id = ?")) {
                p.setObject(1, UUID.fromString(id));
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 1) {
                        return;
                    }
                }
            }
            assertThat(System.nanoTime() - lastChange).as("%s never replayed user %s", node, id)
                    .isLessThan(Duration.ofSeconds(30).toNanos());
            Thread.sleep(50);
        }
    }

    /** Calls of the profile read per node, from each node's pg_stat_statements. */
    private static Map<String, Long> profileReadsPerNode() throws SQLException {
        Map<String, Long> calls = new ConcurrentHashMap<>();
        for (String node : LocalCluster.NODES) {
            try (Connection c = LocalCluster.connect(node);
                    PreparedStatement p = c.prepareStatement(
                            "select coalesce(sum(calls), 0) from pg_stat_statements where query like ?")) {
                p.setString(1, PROFILE_READ);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    calls.put(node, rs.getLong(1));
                }
            }
        }
        return calls;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new java.util.TreeMap<>();
        after.forEach((node, n) -> d.put(node, n - before.getOrDefault(node, 0L)));
        return d;
    }

    /**
     * Writers registering users and readers reading one profile and a search, through the app, on
     * virtual threads. A failed assertion or an unexpected exception in any of them fails the test
     * ({@link #stop} rethrows it), and every wait gives up only when nothing has progressed for
     * {@link #NO_PROGRESS}.
     */
    final class Traffic implements AutoCloseable {

        final Set<String> acked = ConcurrentHashMap.newKeySet();
        /** {sent, acknowledged} System.nanoTime of each acknowledged write. */
        final ConcurrentLinkedQueue<long[]> ackTimes = new ConcurrentLinkedQueue<>();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger transportErrors = new AtomicInteger();
        final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong readsOk = new AtomicLong();
        final AtomicLong readsFailed = new AtomicLong();
        final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());
        volatile Runnable onFailedRead = () -> { };
        private volatile boolean stopped;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final List<Future<?>> futures = new ArrayList<>();

        Traffic(int writers, int readers, String readId) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(threads.submit(() -> write(writer)));
            }
            for (int r = 0; r < readers; r++) {
                int reader = r;
                futures.add(threads.submit(() -> read(reader, readId)));
            }
        }

        private void write(int writer) {
            int n = 0;
            while (!stopped) {
                ApiClient.Response response;
                long sentAt = System.nanoTime();
                try {
                    response = api.post("/user/register", Map.of("first_name", "Кворум",
                            "second_name", "Писатель" + writer + "_" + n++, "birthdate", "1990-01-01",
                            "password", "secret-1"));
                } catch (IllegalStateException e) {
                    transportErrors.incrementAndGet(); // no answer: not acknowledged
                    continue;
                }
                if (response.status() == 200) {
                    acked.add(response.json().path("user_id").asString());
                    long now = System.nanoTime();
                    ackTimes.add(new long[] {sentAt, now});
                    lastAckNanos.set(now);
                } else if (response.status() == 503) {
                    assertThat(response.header("Retry-After")).as("Retry-After of a 503").isNotBlank();
                    unavailable.incrementAndGet();
                } else {
                    unexpected.add(response.status() + " " + response.body());
                }
            }
        }

        private void read(int reader, String id) {
            while (!stopped) {
                int status;
                try {
                    status = reader % 2 == 0 ? api.get("/user/get/" + id).status()
                            : api.get("/user/search?first_name=" + q("Чт") + "&last_name=" + q("Дост")).status();
                } catch (IllegalStateException e) {
                    status = -1;
                }
                if (status == 200) {
                    readsOk.incrementAndGet();
                } else {
                    readsFailed.incrementAndGet();
                    onFailedRead.run();
                }
            }
        }

        long reads() {
            return readsOk.get() + readsFailed.get();
        }

        /** Waits until {@code n} writes are acknowledged in all; fails after {@link #NO_PROGRESS} without one. */
        void awaitAcks(int n) throws Exception {
            while (acked.size() < n) {
                checkProgress();
                Thread.sleep(20);
            }
        }

        /** Waits until {@code n} reads were answered (served or not). */
        void awaitReads(long n) throws Exception {
            long last = reads();
            long lastChange = System.nanoTime();
            while (reads() < n) {
                checkAlive();
                if (reads() != last) {
                    last = reads();
                    lastChange = System.nanoTime();
                }
                assertThat(System.nanoTime() - lastChange).as("no read answered for %s", NO_PROGRESS)
                        .isLessThan(NO_PROGRESS.toNanos());
                Thread.sleep(20);
            }
        }

        /** Waits until the monitor names a primary other than {@code node}, and returns it. */
        String awaitPrimaryOtherThan(String node) throws Exception {
            while (true) {
                try {
                    String primary = LocalCluster.primaryNode();
                    if (!primary.equals(node)) {
                        return primary;
                    }
                } catch (IllegalStateException midFailover) {
                    // no primary for a moment: keep waiting
                }
                checkProgress();
                Thread.sleep(200);
            }
        }

        /**
         * @return the time (System.nanoTime) the first write sent after {@code nanos} was acknowledged
         *         (a write sent before may be acknowledged later, having committed before the event)
         */
        long awaitAckAfter(long nanos) throws Exception {
            while (true) {
                long first = ackTimes.stream().filter(t -> t[0] > nanos).mapToLong(t -> t[1]).min()
                        .orElse(Long.MAX_VALUE);
                if (first != Long.MAX_VALUE) {
                    return first;
                }
                checkProgress();
                Thread.sleep(20);
            }
        }

        private void checkProgress() throws Exception {
            checkAlive();
            if (System.nanoTime() - lastAckNanos.get() >= NO_PROGRESS.toNanos()) {
                // with the monitor's view: a failover still under way, or one stuck, and at which state
                throw new AssertionError("no write acknowledged for %s (%s); the formation now:%n%s"
                        .formatted(NO_PROGRESS, writeSummary(), LocalCluster.formationState()));
            }
        }

        private void checkAlive() throws Exception {
            for (Future<?> f : futures) {
                if (f.isDone()) {
                    rethrow(f);
                }
            }
        }

        void stop() throws Exception {
            stopped = true;
            for (Future<?> f : futures) {
                rethrow(f);
            }
        }

        private static void rethrow(Future<?> f) throws Exception {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw (Exception) e.getCause();
            }
        }

        String writeSummary() {
            return "%d writes acknowledged, %d answered 503, %d without an answer, %d other"
                    .formatted(acked.size(), unavailable.get(), transportErrors.get(), unexpected.size());
        }

        String readSummary() {
            return "%d reads, %d failed".formatted(reads(), readsFailed.get());
        }

        void assertReadsServed() {
            assertThat(reads()).isGreaterThan(100);
            assertThat(readsFailed.get() * 100.0 / reads()).as("failed reads %% (%s)", readSummary())
                    .isLessThan(1.0);
        }

        /** Every acknowledged registration is a row on {@code node}; only 200 and 503 were answered. */
        void assertEveryAcknowledgedWriteOn(String node) throws SQLException {
            assertThat(unexpected).as("responses other than 200/503").isEmpty();
            try (Connection c = LocalCluster.connect(node);
                    PreparedStatement count = c.prepareStatement("select count(*) from users where id = any(?)")) {
                Array ids = c.createArrayOf("uuid", acked.stream().map(UUID::fromString).toArray());
                count.setArray(1, ids);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("acknowledged registrations on the new primary %s (%s)", node,
                            writeSummary()).isEqualTo(acked.size());
                }
            }
        }

        @Override
        public void close() throws Exception {
            stopped = true;
            threads.shutdown();
            threads.close();
        }
    }
}
