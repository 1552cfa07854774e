package dev.socnet.dialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dialog cluster as the system tests see it: {@code ./socnet} commands run from the repository
 * root, and Citus' placement read from the coordinator (as the service's role: the Citus catalog is
 * readable by every role).
 *
 * <p>A command is bounded by progress, not by a total time: it may run as long as it keeps doing
 * something visible (its output grows, a shard placement changes, a background task or a cleanup
 * record changes), and fails when nothing changes for {@link #STALL}. A busy machine makes a command
 * slower, not failing.
 */
final class Cluster {

    /** No visible progress of a command for this long fails the test. */
    static final Duration STALL = Duration.ofSeconds(120);

    private final JdbcClient coordinator;
    private final Path root = repositoryRoot();

    Cluster(JdbcClient coordinator) {
        this.coordinator = coordinator;
    }

    Path root() {
        return root;
    }

    /** Runs {@code ./socnet ARGS}; returns its output (colours stripped); fails on exit != 0 or a stall. */
    String socnet(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./socnet"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("socnet-", ".log");
        Process process = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String lastSeen = progress(log);
        long lastChange = System.nanoTime();
        boolean stalled = false;
        while (!process.waitFor(1, TimeUnit.SECONDS)) {
            String now = progress(log);
            if (!now.equals(lastSeen)) {
                lastSeen = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
                stalled = true;
                process.destroyForcibly().waitFor();
                break;
            }
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "");
        Files.deleteIfExists(log);
        System.out.printf("[cluster] $ %s%n%s", String.join(" ", command), output);
        assertThat(stalled).as("%s: no progress (output, shard placement, Citus tasks) for %s", command, STALL).isFalse();
        assertThat(process.exitValue()).as("exit status of %s:%n%s", command, output).isZero();
        return output;
    }

    /** What changes while a command makes progress. */
    private String progress(Path log) {
        long size;
        try {
            size = Files.size(log);
        } catch (IOException e) {
            size = -1;
        }
        String catalog;
        try {
            catalog = coordinator.sql("""
                    select coalesce((select string_agg(shardid || ':' || nodeport, ',' order by shardid) from citus_shards), '')
                           || '|' || coalesce((select string_agg(task_id || status::text, ',' order by task_id)
                                                 from pg_dist_background_task), '')
                           || '|' || (select count(*) from pg_dist_cleanup)
                    """).query(String.class).single();
        } catch (RuntimeException e) {
            catalog = "unreadable: " + e.getClass().getSimpleName();
        }
        return size + "|" + catalog;
    }

    /** Registered workers (node names: worker N listens on the base port + N - 1) → shards of dialog_messages. */
    Map<String, Integer> shardsPerWorker() {
        Map<String, Integer> placement = new TreeMap<>();
        coordinator.sql("""
                select n.nodeport, count(s.shardid)::int
                  from pg_dist_node n
                  left join citus_shards s on s.nodeport = n.nodeport and s.table_name = 'dialog_messages'::regclass
                 where n.groupid <> 0
                 group by n.nodeport
                """).query((rs, n) -> placement.put(workerOfPort(rs.getInt(1)), rs.getInt(2))).list();
        return placement;
    }

    List<String> workers() {
        return List.copyOf(shardsPerWorker().keySet());
    }

    int shardCount() {
        return coordinator.sql("select count(*)::int from pg_dist_shard where logicalrelid = 'dialog_messages'::regclass")
                .query(Integer.class).single();
    }

    /** The shard that holds a dialog. */
    long shardOf(DialogId dialog) {
        return coordinator.sql("select get_shard_id_for_distribution_column('dialog_messages', :id)")
                .param("id", dialog.value()).query(Long.class).single();
    }

    /** The worker that holds a dialog's shard. */
    String workerOf(DialogId dialog) {
        return workerOfPort(coordinator.sql("""
                select nodeport from citus_shards where shardid = get_shard_id_for_distribution_column('dialog_messages', :id)
                """).param("id", dialog.value()).query(Integer.class).single());
    }

    /** True when the shard covers one hash value only (a tenant's own shard). */
    boolean ownShard(long shard) {
        return coordinator.sql("select shardminvalue = shardmaxvalue from pg_dist_shard where shardid = :s")
                .param("s", shard).query(Boolean.class).single();
    }

    /** Shards of dialog_messages that cover more than one hash value (the ones random dialogs land in). */
    List<Long> sharedShards() {
        return coordinator.sql("""
                select shardid from pg_dist_shard
                 where logicalrelid = 'dialog_messages'::regclass and shardminvalue <> shardmaxvalue order by shardid
                """).query(Long.class).list();
    }

    private static String workerOfPort(int port) {
        int base = Integer.parseInt(Objects.requireNonNullElse(System.getenv("SOCNET_DIALOGS_WORKER_BASE_PORT"), "15441"));
        return "worker" + (port - base + 1);
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("socnet")) && Files.isRegularFile(p.resolve("socnet.env"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the socnet repository: " + Path.of("").toAbsolutePath());
    }
}
