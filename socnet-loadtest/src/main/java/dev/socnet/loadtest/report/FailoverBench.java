package dev.socnet.loadtest.report;

import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./socnet bench failover}: automatic failover under writes, {@code --runs} times. Each run: writer
 * threads register users through HAProxy ({@code POST /user/register}, back to back), the primary is
 * crashed ({@code ./socnet db kill}: SIGKILL to its keeper and PostgreSQL), pg_auto_failover promotes a
 * standby on its own, the writers go on for {@code --after-s} seconds after the first acknowledged write,
 * then every acknowledged user id is looked up on the new primary, and the old primary is started again
 * (it rejoins as a standby) before the next run.
 *
 * <p>Writes {@code failover.json}, the generated section of {@code failover.md} and
 * {@code failover-writes.png} (acknowledged writes per second, one line per run, 0 s = the kill) into
 * {@code --docs}. Arguments: {@code --base-url}, {@code --docs}, {@code --work} (scratch directory),
 * {@code --runs} [5], {@code --writers} [4], {@code --before-s} [10], {@code --after-s} [10],
 * {@code --no-progress-s} [120] (a run that acknowledges no write for that long fails the benchmark).
 */
public final class FailoverBench {

    private static final Pattern USER_ID = Pattern.compile("\"user_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private FailoverBench() {
    }

    /** One run: what the writers saw around the kill. Times in ms from the kill; counts of requests. */
    record Run(int run, String primaryBefore, String primaryAfter, long timeToFirstWriteMs, int acknowledged,
            long lost, Map<String, Long> answers, List<Long> writesPerSecond, int firstSecond) {
    }

    public static void main(String[] args) throws Exception {
        MainArguments a = MainArguments.parse(args);
        String baseUrl = a.require("base-url");
        Path docs = a.requirePath("docs");
        Path work = a.requirePath("work");
        int runs = a.intOr("runs", 5);
        int writers = a.intOr("writers", 4);
        int beforeS = a.intOr("before-s", 10);
        int afterS = a.intOr("after-s", 10);
        Duration noProgress = Duration.ofSeconds(a.intOr("no-progress-s", 120));
        Files.createDirectories(work);

        List<Run> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            socnet("db", "wait", "240");
            results.add(run(r, baseUrl, work, writers, beforeS, afterS, noProgress));
            Run last = results.getLast();
            System.out.printf("run %d: %s -> %s, first write %d ms after the kill, %d acknowledged, %d lost%n",
                    r, last.primaryBefore(), last.primaryAfter(), last.timeToFirstWriteMs(), last.acknowledged(),
                    last.lost());
            socnet("db", "start", last.primaryBefore());
        }
        socnet("db", "wait", "240");
        report(results, docs, writers, beforeS, afterS);
    }

    private static Run run(int number, String baseUrl, Path work, int writers, int beforeS, int afterS,
            Duration noProgress) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<long[]> ackTimes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        AtomicLong lastAck = new AtomicLong(System.nanoTime());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    String body = "{\"first_name\":\"Отказ\",\"second_name\":\"Запись" + number + "_" + writer + "_"
                            + n++ + "\",\"birthdate\":\"1990-01-01\",\"password\":\"secret-1\"}";
                    long sentAt = System.nanoTime();
                    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/user/register"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
                    String answer;
                    try {
                        HttpResponse<String> response = http.send(request,
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        answer = String.valueOf(response.statusCode());
                        if (response.statusCode() == 200) {
                            Matcher m = USER_ID.matcher(response.body());
                            if (m.find()) {
                                long now = System.nanoTime();
                                ids.add(m.group(1));
                                ackTimes.add(new long[] {sentAt, now});
                                lastAck.set(now);
                            }
                        }
                    } catch (IOException e) {
                        answer = "no answer";
                    }
                    answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
                }
                return null;
            });
        }
        String primary = primary();
        Thread.sleep(beforeS * 1000L);
        socnet("db", "kill", primary);
        long killedAt = System.nanoTime();
        long firstAfter;
        while (true) {
            // the first write *sent* after the kill: one sent before may be acknowledged later, having
            // committed before the kill
            firstAfter = ackTimes.stream().filter(t -> t[0] > killedAt).mapToLong(t -> t[1]).min()
                    .orElse(Long.MAX_VALUE);
            if (firstAfter != Long.MAX_VALUE) {
                break;
            }
            if (System.nanoTime() - lastAck.get() > noProgress.toNanos()) {
                stop.set(true);
                throw new IllegalStateException("run " + number + ": no write acknowledged for " + noProgress);
            }
            Thread.sleep(20);
        }
        Thread.sleep(afterS * 1000L);
        stop.set(true);
        threads.shutdown();
        threads.awaitTermination(2, TimeUnit.MINUTES);
        long endedAt = System.nanoTime();

        String newPrimary = primary();
        Path idFile = work.resolve("acked-" + number + ".csv");
        Files.write(idFile, ids);
        String found = socnet("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1",
                "-c", "create temp table acked (id uuid)",
                "-c", "\\copy acked from '" + idFile.toAbsolutePath() + "'",
                "-c", "select count(*) from acked a join users u on u.id = a.id");
        long onPrimary = Long.parseLong(lastLine(found));

        int firstSecond = -beforeS;
        int seconds = (int) Math.ceil((endedAt - killedAt) / 1e9);
        long[] perSecond = new long[seconds - firstSecond + 1];
        for (long[] t : ackTimes) {
            int bucket = (int) Math.floorDiv(t[1] - killedAt, 1_000_000_000L) - firstSecond;
            if (bucket >= 0 && bucket < perSecond.length) {
                perSecond[bucket]++;
            }
        }
        Map<String, Long> answerCounts = new java.util.TreeMap<>();
        answers.forEach((k, v) -> answerCounts.put(k, v.get()));
        return new Run(number, primary, newPrimary, (firstAfter - killedAt) / 1_000_000, ids.size(),
                ids.size() - onPrimary, answerCounts, java.util.Arrays.stream(perSecond).boxed().toList(), firstSecond);
    }

    private static void report(List<Run> runs, Path docs, int writers, int beforeS, int afterS) throws IOException {
        Files.createDirectories(docs);
        List<Long> times = runs.stream().map(Run::timeToFirstWriteMs).sorted().toList();
        long median = times.size() % 2 == 1 ? times.get(times.size() / 2)
                : (times.get(times.size() / 2 - 1) + times.get(times.size() / 2)) / 2;
        long worst = times.getLast();
        long lost = runs.stream().mapToLong(Run::lost).sum();
        long acked = runs.stream().mapToLong(Run::acknowledged).sum();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("writers", writers);
        json.put("secondsBeforeKill", beforeS);
        json.put("secondsAfterFirstWrite", afterS);
        json.put("medianTimeToFirstWriteMs", median);
        json.put("worstTimeToFirstWriteMs", worst);
        json.put("acknowledged", acked);
        json.put("acknowledgedLost", lost);
        json.put("runs", runs);
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(docs.resolve("failover.json").toFile(), json);

        XYChart chart = new XYChartBuilder().width(ReportCharts.WIDTH_PX).height(ReportCharts.HEIGHT_PX)
                .title("Acknowledged writes per second around a primary crash (" + writers + " writers)")
                .xAxisTitle("seconds from the kill of the primary").yAxisTitle("acknowledged writes/s").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        for (Run run : runs) {
            List<Integer> x = new ArrayList<>();
            for (int i = 0; i < run.writesPerSecond().size(); i++) {
                x.add(run.firstSecond() + i);
            }
            chart.addSeries("run " + run.run() + " (" + run.primaryBefore() + " -> " + run.primaryAfter() + ")", x,
                    run.writesPerSecond()).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, docs.resolve("failover-writes.png").toString(), BitmapEncoder.BitmapFormat.PNG);

        StringBuilder md = new StringBuilder();
        md.append("%d runs, %d writers registering users back to back through HAProxy; `kill -9` of the primary's keeper and PostgreSQL %d s into each run:%n%n"
                .formatted(runs.size(), writers, beforeS));
        md.append("| run | primary before | primary after | first write after the kill, ms | acknowledged | lost | answers |\n");
        md.append("| ---: | --- | --- | ---: | ---: | ---: | --- |\n");
        for (Run run : runs) {
            md.append("| %d | %s | %s | %,d | %,d | %d | %s |%n".formatted(run.run(), run.primaryBefore(),
                    run.primaryAfter(), run.timeToFirstWriteMs(), run.acknowledged(), run.lost(), run.answers()));
        }
        md.append("%nTime from the kill to the first acknowledged write: median **%,d ms**, worst **%,d ms**. "
                .formatted(median, worst));
        md.append("Acknowledged writes lost: **%d** of %,d.%n%n".formatted(lost, acked));
        md.append("![writes per second](failover-writes.png)\n");
        GeneratedMarkdownSection.write(docs.resolve("failover.md"), "Automatic failover benchmark", md.toString());
    }

    private static String primary() {
        return lastLine(socnet("db", "primary"));
    }

    private static String lastLine(String out) {
        String s = out.strip();
        return s.substring(s.lastIndexOf('\n') + 1).strip();
    }

    /** Runs {@code ./socnet args} from the working directory (the repository root); returns its output. */
    private static String socnet(String... args) {
        List<String> command = new ArrayList<>(List.of("./socnet"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
