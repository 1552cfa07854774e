package dev.socnet.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;


import com.nimbusds.jose.jwk.source.ImmutableSecret;

import dev.socnet.LocalCluster;

/**
 * Scale-out under load on the cluster of {@code ./socnet up} (issue 16): about 1,200 live feed
 * connections through HAProxy and a few threads of HTTP requests, while {@code ./socnet app scale 3}
 * adds an instance and {@code ./socnet app scale 2} removes it (drain, stop, HAProxy reload).
 *
 * <p>What a user notices, asserted: no HTTP request fails; a connection on an instance that stays is
 * never closed (neither reload drops it); a connection on the removed instance is closed with 1001
 * "going away", its client reconnects (through HAProxy, to one of the others), and every post made after
 * that reaches it. The cluster is left with the instance count it had (2 unless scaled before).
 *
 * <p>Users: fresh rows in the cluster's database (the {@code ./socnet up} instances' {@code SOCNET_DB_NAME},
 * not the test database) with tokens signed by the cluster's JWT secret, so that no BCrypt login runs
 * 1,200 times on a 2-core machine; the follows are rows of {@code friends}; posts go through the API.
 * They are removed at the end, with their follows and posts: {@code ./socnet up} grows the follow graph
 * only into empty tables, and a first {@code up} after {@code ./socnet test} must still do so.
 */
class AppScaleSystemIT {

    private static final int FIRST_SOCKETS = 750;
    private static final int LATER_SOCKETS = 450;
    private static final int LOAD_THREADS = 3;
    /** Users the load posts as, in turn: each stays under the per-user post limit (30 a minute). */
    private static final int LOADERS = 100;
    private static final Duration DELIVERY = Duration.ofSeconds(90);
    private static final int SCALE_TIMEOUT_S = 600;
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.E+-]+)");

    private final int haproxyPort = Integer.parseInt(env("SOCNET_APP_PORT", "8080"));
    private final String[] managementPorts = env("SOCNET_APP_MANAGEMENT_PORTS", "19081 19082").strip().split("\\s+");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final JwtEncoder jwt = new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(
            env("SOCNET_JWT_SECRET", "").getBytes(StandardCharsets.UTF_8), "HmacSHA256")));

    @Test
    void scalingTwoToThreeAndBackDropsNoRequestAndNoConnectionThatStays() throws Exception {
        assertThat(System.getenv("SOCNET_JWT_SECRET")).as("SOCNET_JWT_SECRET (./socnet test exports it)").isNotBlank();
        int countBefore = Integer.parseInt(env("SOCNET_APP_INSTANCES", "2").strip());
        boolean wasRunning = instanceRunning(1);
        if (!wasRunning || countBefore != 2) {
            log("the cluster runs %s instances: scaling to 2 first", wasRunning ? countBefore : 0);
            LocalCluster.socnet(SCALE_TIMEOUT_S, "app", "scale", "2");
        }
        List<UUID> users = createUsers(1 + LOADERS + FIRST_SOCKETS + LATER_SOCKETS);
        UUID poster = users.get(0);
        List<String> loaders = users.subList(1, 1 + LOADERS).stream().map(this::token).toList();
        List<UUID> followers = users.subList(1 + LOADERS, users.size());

        List<LiveFeedClient> first = new ArrayList<>();
        List<LiveFeedClient> later = new ArrayList<>();
        LoadRunner load = new LoadRunner(loaders, poster);
        try {
            long t0 = System.nanoTime();
            first.addAll(open(followers.subList(0, FIRST_SOCKETS)));
            awaitRegistered(FIRST_SOCKETS, 2);
            log("%d sockets open on 2 instances in %d ms", FIRST_SOCKETS, (System.nanoTime() - t0) / 1_000_000);
            load.start();
            assertDelivered(post(poster, "до масштабирования"), first);

            // 2 → 3: the new instance starts, then HAProxy reloads with it in its server list
            long scaleUp = System.nanoTime();
            scale(3);
            log("scale 2→3 took %d s", (System.nanoTime() - scaleUp) / 1_000_000_000);
            assertUntouched(first, "on app1/app2 across the scale-up's reload");

            later.addAll(open(followers.subList(FIRST_SOCKETS, followers.size())));
            List<LiveFeedClient> all = new ArrayList<>(first);
            all.addAll(later);
            awaitRegistered(all.size(), 3);
            int onThird = connectionsOn(3);
            log("%d sockets open, %d of them on app3", all.size(), onThird);
            assertThat(onThird).as("sockets HAProxy gave the new instance").isGreaterThan(0);
            assertDelivered(post(poster, "на трёх"), all);

            // 3 → 2: app3 is drained, stopped (its sockets closed 1001), HAProxy reloads without it
            long scaleDown = System.nanoTime();
            scale(2);
            log("scale 3→2 took %d s", (System.nanoTime() - scaleDown) / 1_000_000_000);

            List<LiveFeedClient> closed = all.stream().filter(c -> c.serverCloseCode() != 0 || c.connections() > 1).toList();
            assertThat(closed).as("sockets closed by the scale-down: those app3 had").hasSize(onThird);
            assertThat(closed).allSatisfy(c -> assertThat(c.serverCloseCode()).as("close code").isEqualTo(1001));
            assertUntouched(first, "on app1/app2 across the scale-down");
            assertUntouched(later.stream().filter(c -> !closed.contains(c)).toList(), "on app1/app2 across the scale-down");

            await().atMost(Duration.ofSeconds(60)).until(() -> closed.stream().allMatch(c -> c.connections() == 2 && c.isOpen()));
            awaitRegistered(all.size(), 2);
            List<Long> reconnectMillis = closed.stream()
                    .map(c -> c.connectedAtMillis() - c.serverClosedAtMillis()).sorted().toList();
            log("%d sockets closed with 1001 reconnected: after %d ms median, %d ms at most",
                    closed.size(), reconnectMillis.get(reconnectMillis.size() / 2), reconnectMillis.getLast());

            String afterReconnect = post(poster, "после переподключения");
            String another = post(poster, "и ещё один");
            assertDelivered(afterReconnect, all);
            assertDelivered(another, all);
            assertThat(closed).allSatisfy(c -> {
                assertThat(c.count(afterReconnect)).isEqualTo(1);
                assertThat(c.count(another)).isEqualTo(1);
            });
        } finally {
            load.stop();
            first.forEach(LiveFeedClient::close);
            later.forEach(LiveFeedClient::close);
            if (!instanceRunning(1)) {
                LocalCluster.socnet(SCALE_TIMEOUT_S, "app", "scale", "2");
            } else if (instanceRunning(3)) {
                LocalCluster.socnet(SCALE_TIMEOUT_S, "app", "scale", "2");
            }
            if (wasRunning && countBefore != 2) {
                LocalCluster.socnet(SCALE_TIMEOUT_S, "app", "scale", Integer.toString(countBefore));
            }
            removeUsers(users);
        }
        log("HTTP load: %d requests, %d failed", load.requests.get(), load.failures.size());
        assertThat(load.failures).as("failed HTTP requests of %d", load.requests.get()).isEmpty();
        assertThat(load.requests.get()).as("HTTP requests made during the scaling").isGreaterThan(100);
    }

    /** Requests in a loop through HAProxy (keep-alive): a profile, the loader's feed, a post; 2xx or it failed. */
    private final class LoadRunner {

        final AtomicLong requests = new AtomicLong();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();
        private final ExecutorService threads = Executors.newFixedThreadPool(LOAD_THREADS);
        private final List<String> tokens;
        private final UUID someone;
        private final AtomicLong turn = new AtomicLong();

        LoadRunner(List<String> tokens, UUID someone) {
            this.tokens = tokens;
            this.someone = someone;
        }

        void start() {
            running.set(true);
            for (int i = 0; i < LOAD_THREADS; i++) {
                threads.submit(this::loop);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }

        private void loop() {
            int i = 0;
            while (running.get()) {
                HttpRequest request = switch (i++ % 3) {
                    case 0 -> request("/user/get/" + someone).GET().build();
                    case 1 -> request("/post/feed?offset=0&limit=10").GET().build();
                    default -> request("/post/create").header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"нагрузка " + i + "\"}")).build();
                };
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() / 100 != 2) {
                        failures.add(Instant.now() + " " + request.method() + " " + request.uri().getPath() + " → "
                                + response.statusCode() + " " + response.body());
                    }
                } catch (Exception e) {
                    failures.add(Instant.now() + " " + request.method() + " " + request.uri().getPath() + " → " + e);
                }
                requests.incrementAndGet();
                sleep(Duration.ofMillis(25));
            }
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxyPort + path))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + tokens.get((int) (turn.getAndIncrement() % tokens.size())));
        }
    }

    /** The cluster's own database (not the tests' {@code socnet_test}) on the current primary. */
    private Connection clusterDatabase() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + LocalCluster.port(LocalCluster.primaryNode()) + "/"
                + env("SOCNET_DB_NAME", "socnet");
        return DriverManager.getConnection(url, env("SOCNET_DB_USER", "socnet"), env("SOCNET_DB_PASSWORD", ""));
    }

    /**
     * Takes the test's users out of the cluster's database again, with their follows, posts and feed
     * bookkeeping: a later {@code ./socnet up} seeds the follow graph only into empty tables.
     */
    private void removeUsers(List<UUID> ids) throws Exception {
        try (Connection db = clusterDatabase()) {
            db.setAutoCommit(false);
            UUID[] array = ids.toArray(UUID[]::new);
            for (String sql : List.of(
                    "delete from friends where follower_id = any(?) or followee_id = any(?)",
                    "delete from posts where author_id = any(?)",
                    "delete from feed_homes where user_id = any(?)",
                    "delete from celebrities where user_id = any(?)",
                    "delete from idempotency_keys where user_id = any(?)",
                    "delete from users where id = any(?)")) {
                try (PreparedStatement delete = db.prepareStatement(sql)) {
                    java.sql.Array uuids = db.createArrayOf("uuid", array);
                    for (int i = 1; i <= delete.getParameterMetaData().getParameterCount(); i++) {
                        delete.setArray(i, uuids);
                    }
                    delete.executeUpdate();
                }
            }
            db.commit();
        }
        log("removed the test's %d users, their follows and posts from the cluster's database", ids.size());
    }

    /**
     * Fresh users in the cluster's database, the poster first, then the load's users (who follow no one
     * and whom no one follows), then the followers, each following the poster (rows as {@code PUT
     * /friend/set} writes them; 1,200 API calls take minutes on a loaded 2-core machine).
     */
    private List<UUID> createUsers(int count) throws Exception {
        String hash = new BCryptPasswordEncoder(4).encode(UUID.randomUUID().toString());
        List<UUID> ids = new ArrayList<>();
        try (Connection db = clusterDatabase();
                PreparedStatement insert = db.prepareStatement("insert into users (id, first_name, second_name, birthdate,"
                        + " password_hash) values (?, 'Масштаб', 'Нагрузкин', date '1990-01-01', ?)")) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                insert.setObject(1, id);
                insert.setString(2, hash);
                insert.addBatch();
            }
            insert.executeBatch();
            try (PreparedStatement follow = db.prepareStatement("insert into friends (follower_id, followee_id) values (?, ?)")) {
                for (UUID follower : ids.subList(1 + LOADERS, ids.size())) {
                    follow.setObject(1, follower);
                    follow.setObject(2, ids.get(0));
                    follow.addBatch();
                }
                follow.executeBatch();
            }
        }
        return ids;
    }

    /** A token as the app issues it (dev.socnet.auth.Tokens): HS256, iss socnet, sub the user id, 1 h. */
    private String token(UUID user) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer("socnet").subject(user.toString())
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).build();
        return jwt.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    /** A reconnecting live feed connection through HAProxy for each user, opened 8 at a time. */
    private List<LiveFeedClient> open(List<UUID> users) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            var opening = new ArrayList<java.util.concurrent.Future<LiveFeedClient>>();
            for (UUID user : users) {
                opening.add(pool.submit(() -> LiveFeedClient.reconnecting(haproxyPort, token(user))));
            }
            List<LiveFeedClient> clients = new ArrayList<>();
            for (var client : opening) {
                clients.add(client.get());
            }
            return clients;
        }
    }

    private String post(UUID author, String text) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxyPort + "/post/create"))
                .header("Authorization", "Bearer " + token(author)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().replace("\"", "").strip();
    }

    /** {@code ./socnet app scale n}, its output (drain, stop, reload) into this test's log. */
    private static void scale(int n) {
        System.out.print(LocalCluster.socnet(SCALE_TIMEOUT_S, "app", "scale", Integer.toString(n)).replaceAll("\u001B\\[[0-9;]*m", ""));
    }

    private static void assertDelivered(String postId, Collection<LiveFeedClient> clients) {
        long t0 = System.nanoTime();
        try {
            await().atMost(DELIVERY).pollInterval(Duration.ofMillis(100))
                    .until(() -> clients.stream().allMatch(c -> c.count(postId) >= 1));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("post " + postId + " reached " + clients.stream().filter(c -> c.count(postId) >= 1).count()
                    + " of " + clients.size() + " sockets in " + DELIVERY.toSeconds() + " s", e);
        }
        assertThat(clients).allSatisfy(c -> assertThat(c.count(postId)).as("frames of post %s", postId).isEqualTo(1));
        log("post %s reached all %d sockets in %d ms", postId, clients.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static void assertUntouched(Collection<LiveFeedClient> clients, String where) {
        assertThat(clients).as("sockets %s", where).allSatisfy(c -> {
            assertThat(c.serverCloseCode()).as("close code").isZero();
            assertThat(c.connections()).as("handshakes").isEqualTo(1);
            assertThat(c.isOpen()).isTrue();
        });
    }

    /** Waits until instances 1..instances together hold {@code expected} live connections (bound, online). */
    /**
     * Until the instances hold {@code expected} connections and have bound as many followers' routing
     * keys (each test follower has one socket and follows only the poster). A connection is counted when
     * its session is kept, before its key is bound and the follower listed online: a post made in
     * between would not reach it live (the feed has it), so the test posts only after both.
     */
    private void awaitRegistered(int expected, int instances) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            int connections = 0;
            int bindings = 0;
            for (int n = 1; n <= instances; n++) {
                connections += connectionsOn(n);
                bindings += gauge(n, "socnet.realtime.bindings");
            }
            return connections == expected && bindings == expected;
        });
    }

    /** Instance N's open live feed connections (its socnet.realtime.connections gauge, management port). */
    private int connectionsOn(int instance) throws Exception {
        return gauge(instance, "socnet.realtime.connections");
    }

    /** A gauge of instance N, from its management port. */
    private int gauge(int instance, String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + managementPorts[instance - 1] + "/actuator/metrics/" + name)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher value = VALUE.matcher(response.body());
        assertThat(value.find()).as(response.body()).isTrue();
        return (int) Double.parseDouble(value.group(1));
    }

    private boolean instanceRunning(int instance) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPorts[instance - 1]
                    + "/actuator/health/readiness")).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[app-scale] " + format + "%n", args);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
