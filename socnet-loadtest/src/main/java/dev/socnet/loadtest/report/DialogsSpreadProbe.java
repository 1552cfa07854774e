package dev.socnet.loadtest.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the data sets of the dialog-spread measurements straight to the socnet-dialogs service's internal
 * API (as the gateway would, with {@code X-Gateway-Secret} from the environment variable
 * {@value #SECRET_ENV}), so that the bench measures where PostgreSQL puts them, not the gateway:
 * <ul>
 *   <li>{@code dialogs} dialogs between random user ids, one message each, text {@code "<marker> spread"};</li>
 *   <li>one "Lady Gaga" sender writing one message to each of {@code fan-out} random users, text
 *       {@code "<marker> gaga"};</li>
 *   <li>one long dialog of {@code long-dialog} messages (for the EXPLAIN of a page), text {@code "<marker> long"};</li>
 *   <li>{@code pair-messages} messages in each dialog of the Gatling feeder ({@code pairs}, CSV
 *       {@code user_id,token,peer_id}), text {@code "<marker> history"}, so that every list request of the
 *       benchmark reads a full page from its first run to its last (otherwise pages grow as the send runs
 *       add messages, and later list runs look slower).</li>
 * </ul>
 * Arguments ({@code --name=value}): {@code service-url}, {@code dialogs}, {@code fan-out}, {@code long-dialog},
 * {@code pairs}, {@code pair-messages}, {@code concurrency} (requests in flight), {@code marker}, {@code out}
 * (the {@link SpreadLoad} JSON).
 * Any answer but 200 is counted as a failure (and the first few are printed).
 */
public final class DialogsSpreadProbe {

    /** Environment variable holding the gateway secret ({@code .local/secrets.env}). */
    public static final String SECRET_ENV = "SOCNET_DIALOGS_SECRET";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What was written.
     *
     * @param marker         prefix of every text of this run
     * @param dialogs        dialogs of the spread set (one message each)
     * @param gagaUser       the sender of the fan-out set
     * @param gagaRecipients recipients of the fan-out set (one message each)
     * @param longDialog     the two users of the long dialog
     * @param longMessages   messages in the long dialog
     * @param pairs          dialogs of the Gatling feeder given a history
     * @param pairMessages   messages of history in each of them
     * @param sends          messages acknowledged, all sets
     * @param failures       sends not acknowledged
     * @param elapsedS       wall time of all sends, s
     * @param sendsPerS      acknowledged sends per second over {@code elapsedS}
     */
    public record SpreadLoad(String marker, int dialogs, String gagaUser, int gagaRecipients, List<String> longDialog,
            int longMessages, int pairs, int pairMessages, long sends, long failures, double elapsedS, double sendsPerS) {
    }

    private DialogsSpreadProbe() {
    }

    public static void main(String[] args) throws Exception {
        MainArguments arguments = MainArguments.parse(args);
        String secret = System.getenv(SECRET_ENV);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(SECRET_ENV + " is not set (./socnet bench exports .local/secrets.env)");
        }
        String base = arguments.require("service-url");
        String marker = arguments.require("marker");
        int dialogs = arguments.intOr("dialogs", 100_000);
        int fanOut = arguments.intOr("fan-out", 10_000);
        int longMessages = arguments.intOr("long-dialog", 2_000);
        var sender = new Sender(base, secret, arguments.intOr("concurrency", 64));

        long t0 = System.nanoTime();
        for (int i = 0; i < dialogs; i++) {
            sender.send(UUID.randomUUID(), UUID.randomUUID(), marker + " spread");
        }
        UUID gaga = UUID.randomUUID();
        for (int i = 0; i < fanOut; i++) {
            sender.send(gaga, UUID.randomUUID(), marker + " gaga");
        }
        UUID left = UUID.randomUUID();
        UUID right = UUID.randomUUID();
        for (int i = 0; i < longMessages; i++) {
            sender.send(i % 2 == 0 ? left : right, i % 2 == 0 ? right : left, marker + " long");
        }
        int pairMessages = arguments.intOr("pair-messages", 0);
        List<String> pairs = arguments.values().containsKey("pairs")
                ? Files.readAllLines(arguments.requirePath("pairs"), StandardCharsets.UTF_8).stream().skip(1)
                        .filter(line -> !line.isBlank()).toList()
                : List.of();
        for (String pair : pairs) {
            String[] columns = pair.split(",");
            UUID user = UUID.fromString(columns[0]);
            UUID peer = UUID.fromString(columns[2]);
            for (int i = 0; i < pairMessages; i++) {
                sender.send(i % 2 == 0 ? user : peer, i % 2 == 0 ? peer : user, marker + " history");
            }
        }
        sender.finish();
        double elapsedS = (System.nanoTime() - t0) / 1e9;

        var result = new SpreadLoad(marker, dialogs, gaga.toString(), fanOut, List.of(left.toString(), right.toString()),
                longMessages, pairs.size(), pairMessages, sender.acknowledged.get(), sender.failed.get(), Math.round(elapsedS * 10) / 10.0,
                Math.round(sender.acknowledged.get() / elapsedS));
        Files.writeString(arguments.requirePath("out"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result),
                StandardCharsets.UTF_8);
        System.out.printf("sent %d messages (%d failed) in %.1f s: %.0f/s%n", result.sends(), result.failures(),
                elapsedS, result.sendsPerS());
        if (result.failures() > 0) {
            System.exit(1);
        }
    }

    /** Sends with at most {@code concurrency} requests in flight, on virtual threads. */
    private static final class Sender {

        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        private final String base;
        private final String secret;
        private final Semaphore inFlight;
        private final int concurrency;
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
        private final java.util.concurrent.ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

        Sender(String base, String secret, int concurrency) {
            this.base = base;
            this.secret = secret;
            this.concurrency = concurrency;
            this.inFlight = new Semaphore(concurrency);
        }

        void send(UUID from, UUID to, String text) throws InterruptedException {
            inFlight.acquire();
            threads.submit(() -> {
                try {
                    var request = HttpRequest.newBuilder(URI.create(base + "/dialogs/" + to + "/messages"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("X-User-Id", from.toString())
                            .header("X-Gateway-Secret", secret)
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", text))))
                            .build();
                    var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        acknowledged.incrementAndGet();
                    } else {
                        fail(response.statusCode() + " " + response.body());
                    }
                } catch (IOException | RuntimeException e) {
                    fail(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.release();
                }
            });
        }

        private void fail(String why) {
            if (failed.incrementAndGet() <= 5) {
                firstFailures.add(why);
                System.err.println("send failed: " + why);
            }
        }

        void finish() throws InterruptedException {
            inFlight.acquire(concurrency);
            threads.shutdown();
        }
    }
}
