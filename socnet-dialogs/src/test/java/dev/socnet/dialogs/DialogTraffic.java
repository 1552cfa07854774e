package dev.socnet.dialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * Clients on virtual threads that send and read without pause, as the system tests' load: each picks a
 * dialog (from {@code pick}), sends a message, and every fourth time reads that dialog's newest page;
 * any answer but 200 (or no answer) is a failure. Waiting for progress is bounded by progress too:
 * {@link #awaitAcknowledged} fails when no request is acknowledged for {@link #STALL_SECONDS}.
 */
final class DialogTraffic {

    /** No acknowledged request for this long fails the test. */
    static final long STALL_SECONDS = 30;

    /** Two users and the ids of their messages the service acknowledged (200). */
    record Dialog(UUID left, UUID right, DialogId id, Set<String> acknowledged) {

        static Dialog random() {
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            return new Dialog(a, b, DialogId.between(a, b), ConcurrentHashMap.newKeySet());
        }
    }

    private final InternalApi api;
    private final Function<ThreadLocalRandom, Dialog> pick;
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong slowestMs = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final long startedNanos = System.nanoTime();

    private DialogTraffic(InternalApi api, Function<ThreadLocalRandom, Dialog> pick) {
        this.api = api;
        this.pick = pick;
    }

    /** Starts {@code clients} clients, each picking dialogs uniformly from {@code dialogs}. */
    static DialogTraffic start(InternalApi api, List<Dialog> dialogs, int clients) {
        return start(api, r -> dialogs.get(r.nextInt(dialogs.size())), clients);
    }

    static DialogTraffic start(InternalApi api, Function<ThreadLocalRandom, Dialog> pick, int clients) {
        var traffic = new DialogTraffic(api, pick);
        for (int c = 0; c < clients; c++) {
            int client = c;
            traffic.clients.submit(() -> traffic.run(client));
        }
        return traffic;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Waits until {@code more} further sends are acknowledged; fails when none is for {@link #STALL_SECONDS}. */
    void awaitAcknowledged(long more) throws InterruptedException {
        long target = acknowledged.get() + more;
        long last = acknowledged.get();
        long lastChange = System.nanoTime();
        while (acknowledged.get() < target) {
            Thread.sleep(100);
            long now = acknowledged.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
            assertThat(System.nanoTime() - lastChange).as("no acknowledged send for %d s; failures: %s",
                    STALL_SECONDS, failures).isLessThan(TimeUnit.SECONDS.toNanos(STALL_SECONDS));
        }
    }

    private void run(int client) {
        var random = ThreadLocalRandom.current();
        for (long n = 0; running.get(); n++) {
            Dialog dialog = pick.apply(random);
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

    /** Stops the clients (each finishes its request in flight: at most the client's 10 s read timeout). */
    void stop() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("[traffic] %d sends acknowledged, %d reads in %.1f s (%.0f requests/s), "
                + "slowest request %d ms, %d failures%n", acknowledged.get(), reads.get(), seconds,
                (acknowledged.get() + reads.get()) / seconds, slowestMs.get(), failures.size());
    }

    void assertNoFailures() {
        assertThat(failures).as("failed requests").isEmpty();
    }

    /** Walks every dialog page by page (cursor {@code before}) and compares with what was acknowledged. */
    static void assertEveryAcknowledgedMessageListedOnce(InternalApi api, List<Dialog> dialogs) {
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
        System.out.printf("[traffic] %d acknowledged messages in %d dialogs, each listed exactly once%n",
                listed, dialogs.size());
    }
}
