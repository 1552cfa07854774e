package dev.socnet.dialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.socnet.dialogs.DialogTraffic.Dialog;

/**
 * The hot dialog ("Lady Gaga" of the reference write-ups): one dialog takes half of all traffic.
 * {@code ./socnet shards hot} finds it from Citus' per-tenant statistics (citus_stat_tenants), and
 * {@code ./socnet shards isolate DIALOG_ID WORKER} moves it into a shard of its own on another worker
 * (isolate_tenant_to_new_shard, then citus_move_shard_placement) while the clients keep sending and
 * reading: no request fails, nothing is lost or duplicated, and the dialog ends alone in its shard on
 * the chosen worker.
 *
 * <p>The split is not undone (Citus merges no shards): each run leaves two more shards of
 * dialog_messages. Bounded by progress like {@link ReshardingSystemIT}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "socnet.dialogs.gateway-secret=" + InternalApi.SECRET)
class HotDialogIsolationIT {

    private static final int CLIENTS = 6;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient coordinator;

    @Test
    void theHotDialogIsFoundAndIsolatedOntoAWorkerOfItsOwnChoiceUnderTraffic() throws Exception {
        var cluster = new Cluster(coordinator);
        try (FileChannel channel = FileChannel.open(cluster.root().resolve(".local/run/dialogs-system-test.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            var api = new InternalApi(port);
            var others = ReshardingSystemIT.dialogsOnEveryShard(cluster, 2);
            var hot = Dialog.random();
            List<Dialog> all = new ArrayList<>(others);
            all.add(hot);

            String target;
            var traffic = DialogTraffic.start(api, r -> r.nextBoolean() ? hot : others.get(r.nextInt(others.size())), CLIENTS);
            try {
                traffic.awaitAcknowledged(1000);
                String listed = cluster.socnet("shards", "hot", "3");
                assertThat(firstDialogOf(listed)).as("the top dialog of ./socnet shards hot:%n%s", listed)
                        .isEqualTo(hot.id().toString());

                String from = cluster.workerOf(hot.id());
                target = cluster.workers().stream().filter(w -> !w.equals(from)).findFirst().orElseThrow();
                cluster.socnet("shards", "isolate", hot.id().toString(), target);
                traffic.awaitAcknowledged(500);
            } finally {
                traffic.stop();
            }
            traffic.assertNoFailures();
            DialogTraffic.assertEveryAcknowledgedMessageListedOnce(api, all);
            long shard = cluster.shardOf(hot.id());
            assertThat(cluster.ownShard(shard)).as("dialog %s alone in shard %d", hot.id(), shard).isTrue();
            assertThat(cluster.workerOf(hot.id())).as("the worker of shard %d", shard).isEqualTo(target);
        }
    }

    /** The dialog id on the first data line of {@code ./socnet shards hot} (after its header). */
    private static String firstDialogOf(String output) {
        return output.lines().filter(l -> l.matches("^[0-9a-f]{8}-[0-9a-f]{4}-.*")).findFirst()
                .map(l -> l.split("\\s+")[0]).orElse("(none listed)");
    }
}
