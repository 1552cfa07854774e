package dev.socnet.dialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.socnet.dialogs.DialogTraffic.Dialog;

/**
 * A worker of the Citus cluster goes down ({@code ./socnet dialogs stop workerN}): the dialogs whose
 * shards it holds answer 503 with {@code Retry-After} and a request id, sends and reads alike; the
 * dialogs on the other workers keep answering 200. When it is back ({@code ./socnet dialogs start}),
 * its dialogs answer 200 again, with the messages sent before the outage.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.dialogs.gateway-secret=" + InternalApi.SECRET)
class WorkerDownIT {

    /** A restarted worker must answer again within this long of no 200 (it restarts in about a second). */
    private static final long RECOVERY_SECONDS = 30;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient coordinator;

    @Test
    void onlyTheDownedWorkersDialogsAnswer503() throws Exception {
        var cluster = new Cluster(coordinator);
        try (FileChannel channel = FileChannel.open(cluster.root().resolve(".local/run/dialogs-system-test.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            var api = new InternalApi(port);
            List<String> workers = cluster.workers();
            assertThat(workers).hasSizeGreaterThanOrEqualTo(2);
            String down = workers.getLast();
            Dialog onDown = dialogOn(cluster, down, true);
            Dialog elsewhere = dialogOn(cluster, down, false);
            String before = api.send(onDown.left(), onDown.right(), "before the outage").json().path("id").asString();
            assertThat(api.send(elsewhere.left(), elsewhere.right(), "before the outage").status()).isEqualTo(200);

            cluster.socnet("dialogs", "stop", down);
            try {
                for (var response : List.of(api.send(onDown.left(), onDown.right(), "during the outage"),
                        api.page(onDown.right(), onDown.left(), ""))) {
                    assertThat(response.status()).as(response.body()).isEqualTo(503);
                    assertThat(response.header("Retry-After")).isNotBlank();
                    assertThat(response.json().path("code").asInt()).isEqualTo(503);
                    assertThat(response.json().path("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
                }
                assertThat(api.send(elsewhere.left(), elsewhere.right(), "during the outage").status())
                        .as("a dialog on another worker is written").isEqualTo(200);
                var page = api.page(elsewhere.right(), elsewhere.left(), "");
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                assertThat(page.json()).hasSize(2);
            } finally {
                cluster.socnet("dialogs", "start", down);
            }

            InternalApi.Response page = Awaitility.await(down + " back: its dialogs answer 200")
                    .atMost(Duration.ofSeconds(RECOVERY_SECONDS)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.page(onDown.left(), onDown.right(), ""), answer -> answer.status() == 200);
            assertThat(page.json()).hasSize(1);
            assertThat(page.json().get(0).path("id").asString()).isEqualTo(before);
            assertThat(api.send(onDown.right(), onDown.left(), "after the outage").status()).isEqualTo(200);
        }
    }

    /** A random dialog whose shard is (or is not) on {@code worker}. */
    private static Dialog dialogOn(Cluster cluster, String worker, boolean on) {
        while (true) {
            Dialog dialog = Dialog.random();
            if (worker.equals(cluster.workerOf(dialog.id())) == on) {
                return dialog;
            }
        }
    }
}
