package dev.socnet.dialogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

/**
 * Online resharding under traffic, end to end: while clients send and read messages without pause,
 * {@code ./socnet shards add-worker} adds a worker and {@code ./socnet shards rebalance} moves
 * partitions onto it (logical replication copy, then a cut-over each); then
 * {@code ./socnet shards remove-worker} moves them back off and removes it, again under traffic.
 * What a user would notice must not happen: no request fails (a request may wait during a cut-over,
 * then succeeds), every acknowledged message is listed exactly once afterwards, none appears that was
 * not acknowledged; and the partitions end up balanced, per worker within one.
 *
 * <p>Runs against the cluster {@code ./socnet test} starts (the real coordinator and workers; fresh
 * random users). Leaves the cluster as it found it (the added worker is removed), so it can run
 * again; concurrent runs (two test runs on one machine) take turns on a file lock. Bounded: each
 * shard command at most {@link #SHARD_COMMAND_TIMEOUT}, about a minute in all on 2 cores.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.dialogs.gateway-secret=" + InternalApi.SECRET)
class ReshardingSystemIT {

    /** Concurrent clients, each sending (and every fourth time also reading) back to back. */
    private static final int CLIENTS = 6;
    /** Dialogs the clients write to: enough that every one of the 32 partitions gets traffic. */
    private static final int DIALOGS = 256;
    private static final Duration SHARD_COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern WORKER = Pattern.compile("^(worker\\d+)$", Pattern.MULTILINE);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient coordinator;

    @Test
    void addingAndRemovingAWorkerUnderTrafficLosesNothingAndDuplicatesNothing() throws Exception {
        Path root = repositoryRoot();
        try (FileChannel channel = FileChannel.open(root.resolve(".local/run/dialogs-system-test.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            shards(root, "resume");
            List<String> workersBefore = workers();
            var api = new InternalApi(port);
            var dialogs = Dialog.random(DIALOGS);
            String added = null;
            try {
                // 1. A new worker and a rebalance onto it, under traffic.
                var traffic = Traffic.start(api, dialogs, CLIENTS);
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> traffic.acknowledged() >= 500);
                    added = worker(shards(root, "add-worker"));
                    shards(root, "rebalance");
                    long afterRebalance = traffic.acknowledged();
                    await().atMost(Duration.ofSeconds(30)).until(() -> traffic.acknowledged() >= afterRebalance + 500);
                } finally {
                    traffic.stop();
                }
                traffic.assertNoFailures();
                assertEveryAcknowledgedMessageListedOnce(api, dialogs);
                Map<String, Integer> placement = partitionsPerWorker();
                assertThat(placement.keySet()).containsExactlyInAnyOrderElementsOf(plus(workersBefore, added));
                assertBalanced(placement);
                assertThat(partitionsWithTraffic(dialogs)).as("the traffic reached every partition").isEqualTo(32);

                // 2. The worker drained and removed, under traffic again.
                var drain = Traffic.start(api, dialogs, CLIENTS);
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> drain.acknowledged() >= 500);
                    shards(root, "remove-worker", added);
                    added = null;
                } finally {
                    drain.stop();
                }
                drain.assertNoFailures();
                assertEveryAcknowledgedMessageListedOnce(api, dialogs);
                assertThat(partitionsPerWorker().keySet()).containsExactlyInAnyOrderElementsOf(workersBefore);
                assertBalanced(partitionsPerWorker());
            } finally {
                if (added != null) {
                    shards(root, "remove-worker", added); // leave the cluster as it was found
                }
            }
        }
    }

    /** Walks every dialog page by page (cursor {@code before}) and compares with what was acknowledged. */
    private static void assertEveryAcknowledgedMessageListedOnce(InternalApi api, List<Dialog> dialogs) {
        long listed = 0;
        for (Dialog dialog : dialogs) {
            List<String> ids = new ArrayList<>();
            String before = "";
            while (true) {
                var page = api.page(dialog.left(), dialog.right(), "?limit=100" + before);
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                JsonNode messages = page.json();
                if (messages.isEmpty()) {
                    break;
                }
                messages.forEach(m -> ids.add(m.path("id").asString()));
                before = "&before=" + messages.get(messages.size() - 1).path("id").asString();
            }
            assertThat(ids).as("dialog %s: listed once each, newest first", dialog.id())
                    .doesNotHaveDuplicates()
                    .isSortedAccordingTo((a, b) -> DialogId.compareUnsigned(UUID.fromString(b), UUID.fromString(a)));
            assertThat(Set.copyOf(ids)).as("dialog %s: exactly the acknowledged messages", dialog.id())
                    .isEqualTo(dialog.acknowledged());
            listed += ids.size();
        }
        System.out.printf("[resharding] %d acknowledged messages in %d dialogs, each listed exactly once%n",
                listed, dialogs.size());
    }

    private List<String> workers() {
        return coordinator.sql("""
                select srvname from pg_foreign_server where srvname ~ '^worker[0-9]+$' order by srvname
                """).query(String.class).list();
    }

    /** Partitions each registered worker serves, from the coordinator's catalog (foreign table → server). */
    private Map<String, Integer> partitionsPerWorker() {
        Map<String, Integer> placement = new java.util.TreeMap<>();
        coordinator.sql("""
                select s.srvname, count(ft.ftrelid)::int as partitions
                  from pg_foreign_server s left join pg_foreign_table ft on ft.ftserver = s.oid
                 where s.srvname ~ '^worker[0-9]+$'
                 group by s.srvname
                """).query((rs, n) -> placement.put(rs.getString(1), rs.getInt(2))).list();
        return placement;
    }

    private static void assertBalanced(Map<String, Integer> placement) {
        assertThat(placement.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(32);
        int most = placement.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int least = placement.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        assertThat(most - least).as("partitions per worker %s", placement).isLessThanOrEqualTo(1);
    }

    /** Distinct partitions that hold messages of the test's dialogs (scans all 32: a check, not a hot path). */
    private int partitionsWithTraffic(List<Dialog> dialogs) {
        UUID[] ids = dialogs.stream().map(d -> d.id().value()).toArray(UUID[]::new);
        return coordinator.sql("select count(distinct tableoid)::int from dialog_messages where dialog_id = any(:ids)")
                .param("ids", ids).query(Integer.class).single();
    }

    private static List<String> plus(List<String> list, String one) {
        List<String> all = new ArrayList<>(list);
        all.add(one);
        return all;
    }

    private static String worker(String addWorkerOutput) {
        Matcher m = WORKER.matcher(addWorkerOutput);
        assertThat(m.find()).as("add-worker names the new worker: %s", addWorkerOutput).isTrue();
        return m.group(1);
    }

    /** Runs {@code ./socnet shards ARGS} from the repository root; returns its output; fails on exit != 0. */
    private static String shards(Path root, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./socnet", "shards"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("shards-", ".log");
        Process process = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(SHARD_COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "");
        Files.deleteIfExists(log);
        System.out.printf("[resharding] $ %s%n%s", String.join(" ", command), output);
        assertThat(exited).as("%s finished within %s", command, SHARD_COMMAND_TIMEOUT).isTrue();
        assertThat(process.exitValue()).as("exit status of %s:%n%s", command, output).isZero();
        return output;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("socnet")) && Files.isRegularFile(p.resolve("socnet.env"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the socnet repository: " + Path.of("").toAbsolutePath());
    }

    /** Two users and the ids of their messages the service acknowledged (200). */
    private record Dialog(UUID left, UUID right, DialogId id, Set<String> acknowledged) {

        static List<Dialog> random(int count) {
            List<Dialog> dialogs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                UUID a = UUID.randomUUID();
                UUID b = UUID.randomUUID();
                dialogs.add(new Dialog(a, b, DialogId.between(a, b), ConcurrentHashMap.newKeySet()));
            }
            return dialogs;
        }
    }

    /**
     * Clients on virtual threads: each picks a random dialog and side, sends a message, and every
     * fourth time reads that dialog's newest page; any answer but 200 (or no answer) is a failure.
     */
    private static final class Traffic {

        private final InternalApi api;
        private final List<Dialog> dialogs;
        private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicLong reads = new AtomicLong();
        private final AtomicLong slowestMs = new AtomicLong();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final long startedNanos = System.nanoTime();

        private Traffic(InternalApi api, List<Dialog> dialogs) {
            this.api = api;
            this.dialogs = dialogs;
        }

        static Traffic start(InternalApi api, List<Dialog> dialogs, int clients) {
            var traffic = new Traffic(api, dialogs);
            for (int c = 0; c < clients; c++) {
                int client = c;
                traffic.clients.submit(() -> traffic.run(client));
            }
            return traffic;
        }

        long acknowledged() {
            return acknowledged.get();
        }

        private void run(int client) {
            var random = ThreadLocalRandom.current();
            for (long n = 0; running.get(); n++) {
                Dialog dialog = dialogs.get(random.nextInt(dialogs.size()));
                boolean leftWrites = random.nextBoolean();
                UUID from = leftWrites ? dialog.left() : dialog.right();
                UUID to = leftWrites ? dialog.right() : dialog.left();
                try {
                    long t0 = System.nanoTime();
                    var sent = api.send(from, to, "client " + client + " message " + n);
                    observe(t0);
                    if (sent.status() != 200) {
                        failures.add("send " + sent.status() + ": " + sent.body());
                        continue;
                    }
                    dialog.acknowledged().add(sent.json().path("id").asString());
                    acknowledged.incrementAndGet();
                    if (n % 4 == 0) {
                        t0 = System.nanoTime();
                        var page = api.page(to, from, "?limit=20");
                        observe(t0);
                        if (page.status() != 200) {
                            failures.add("list " + page.status() + ": " + page.body());
                        }
                        reads.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failures.add(e + (e.getCause() != null ? " caused by " + e.getCause() : ""));
                }
            }
        }

        private void observe(long startNanos) {
            slowestMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), Math::max);
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            System.out.printf("[resharding] traffic: %d sends acknowledged, %d reads in %.1f s (%.0f requests/s), "
                    + "slowest request %d ms, %d failures%n", acknowledged.get(), reads.get(), seconds,
                    (acknowledged.get() + reads.get()) / seconds, slowestMs.get(), failures.size());
        }

        void assertNoFailures() {
            assertThat(failures).as("failed requests").isEmpty();
        }
    }
}
