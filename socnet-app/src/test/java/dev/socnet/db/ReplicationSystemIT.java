package dev.socnet.db;

import static dev.socnet.ApiClient.q;
import static dev.socnet.LocalCluster.socnet;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * System tests of replication as operators see it, on the real three-node cluster: read-your-writes
 * with lagging replicas, reads while a replica dies, and quorum durability through a primary crash
 * and failover. Each test returns the cluster to "primary is the primary, both replicas streaming".
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationSystemIT {

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @AfterEach
    void restoreTopology() {
        socnet(60, "db", "start", "replica1");
        socnet(60, "db", "start", "replica2");
        socnet(60, "db", "start", "primary");
        if (!LocalCluster.primaryNode().equals("primary")) {
            socnet(120, "failover", "primary");
            for (String node : List.of("replica1", "replica2")) {
                socnet(120, "db", "start", node);
            }
        }
        socnet(30, "db", "delay", "replica1", "0");
        socnet(30, "db", "delay", "replica2", "0");
    }

    @Test
    @Order(1)
    void aClientReadsItsOwnRegistrationWhileBothReplicasLag() {
        socnet(30, "db", "delay", "replica1", "3000");
        socnet(30, "db", "delay", "replica2", "3000");
        for (int i = 0; i < 5; i++) {
            String id = api.post("/user/register", Map.of("first_name", "Лаг", "second_name", "Реплики" + i,
                    "birthdate", "1990-01-01", "password", "secret-" + i)).json().path("user_id").asString();
            assertThat(api.post("/login", Map.of("id", id, "password", "secret-" + i)).status()).isEqualTo(200);
            var profile = api.get("/user/get/" + id);
            assertThat(profile.status()).as("profile right after registration").isEqualTo(200);
            assertThat(profile.json().path("second_name").asString()).isEqualTo("Реплики" + i);
        }
    }

    @Test
    @Order(2)
    void readsKeepAnsweringWhenAReplicaStops() throws Exception {
        String id = api.post("/user/register", Map.of("first_name", "Чтение", "second_name", "Доступность",
                "birthdate", "1990-01-01", "password", "secret-1")).json().path("user_id").asString();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong failedAfterSwitch = new AtomicLong();
        AtomicLong switchedAtNanos = new AtomicLong(Long.MAX_VALUE);
        long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        List<Thread> readers = new java.util.ArrayList<>();
        for (int r = 0; r < 4; r++) {
            int reader = r;
            readers.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    var response = reader % 2 == 0 ? api.get("/user/get/" + id)
                            : api.get("/user/search?first_name=" + q("Чт") + "&last_name=" + q("Дост"));
                    if (response.status() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        if (System.nanoTime() > switchedAtNanos.get() + Duration.ofSeconds(2).toNanos()) {
                            failedAfterSwitch.incrementAndGet();
                        }
                    }
                }
            }));
        }
        Thread.sleep(3000);
        socnet(60, "db", "stop", "replica1");
        switchedAtNanos.set(System.nanoTime());
        for (Thread t : readers) {
            t.join();
        }
        long total = ok.get() + failed.get();
        System.out.printf("read availability: %d reads, %d failed, %d failed 2 s after the replica stopped%n",
                total, failed.get(), failedAfterSwitch.get());
        assertThat(total).isGreaterThan(100);
        assertThat(failed.get() * 100.0 / total).as("error rate %% of %d reads", total).isLessThan(1.0);
        assertThat(failedAfterSwitch.get()).as("errors 2 s after the replica stopped").isZero();
    }

    @Test
    @Order(3)
    void everyAcknowledgedWriteSurvivesAReplicaLossThenAPrimaryCrashAndFailover() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        AtomicLong failoverDoneNanos = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAckAfterFailoverNanos = new AtomicLong(Long.MAX_VALUE);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    var response = api.post("/user/register", Map.of("first_name", "Кворум",
                            "second_name", "Писатель" + writer + "_" + n++, "birthdate", "1990-01-01",
                            "password", "secret-1"));
                    if (response.status() == 200) {
                        acknowledged.add(response.json().path("user_id").asString());
                        long now = System.nanoTime();
                        if (now > failoverDoneNanos.get()) {
                            firstAckAfterFailoverNanos.accumulateAndGet(now, Math::min);
                        }
                    } else if (response.status() == 503) {
                        assertThat(response.header("Retry-After")).isNotBlank();
                        unavailable.incrementAndGet();
                    } else {
                        unexpected.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(6000);
        socnet(60, "db", "stop", "replica1");
        Thread.sleep(6000);
        int beforeCrash = acknowledged.size();
        socnet(60, "db", "stop", "primary", "immediate");
        socnet(120, "failover", "replica2");
        failoverDoneNanos.set(System.nanoTime());
        // quorum commit needs one standby: replica1 returns and streams from the new primary
        socnet(120, "db", "start", "replica1");
        for (Thread t : writers) {
            t.join();
        }

        System.out.printf("quorum durability: %d acknowledged, %d answered 503, %d other; first write %d ms after failover%n",
                acknowledged.size(), unavailable.get(), unexpected.get(),
                (firstAckAfterFailoverNanos.get() - failoverDoneNanos.get()) / 1_000_000);
        assertThat(unexpected.get()).as("responses other than 200/503").isZero();
        assertThat(beforeCrash).isGreaterThan(0);
        assertThat(acknowledged.size()).as("writes acknowledged after the failover").isGreaterThan(beforeCrash);
        assertThat(Duration.ofNanos(firstAckAfterFailoverNanos.get() - failoverDoneNanos.get()))
                .as("first acknowledged write after the failover command returned")
                .isLessThan(Duration.ofSeconds(10));
        try (Connection newPrimary = LocalCluster.connect("replica2");
                PreparedStatement count = newPrimary.prepareStatement(
                        "select count(*) from users where id = any(?)")) {
            Array ids = newPrimary.createArrayOf("uuid", acknowledged.stream().map(UUID::fromString).toArray());
            count.setArray(1, ids);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("acknowledged registrations on the new primary (of %d, %d 503s)",
                        acknowledged.size(), unavailable.get()).isEqualTo(acknowledged.size());
            }
        }
    }
}
