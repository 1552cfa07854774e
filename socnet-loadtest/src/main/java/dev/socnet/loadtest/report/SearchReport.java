package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the Gatling runs of {@code ./socnet bench search} into {@code docs/benchmarks}: {@code search.json}
 * (a {@link SearchBenchmark}), the generated results section of {@code search.md} (between
 * {@link GeneratedMarkdownSection} markers; the rest of the file is kept) and the PNG charts
 * {@value #THROUGHPUT_PNG} and {@code search-latency-<variant>.png}.
 *
 * <p>Arguments ({@code --name=value}):
 * <ul>
 *   <li>{@code runs} — directory laid out as {@code <variant>/u<users>/index.html}, each {@code u<users>} a
 *       Gatling report directory (scripts/bench/search.sh moves each run's report there);</li>
 *   <li>{@code docs} — output directory, e.g. {@code docs/benchmarks};</li>
 *   <li>{@code result-size} — optional {@link SearchResultSize} JSON written by {@link SearchResultSizeProbe};</li>
 *   <li>{@code duration-s}, {@code first-prefix-chars}, {@code last-prefix-chars} — the run settings, for the
 *       record;</li>
 *   <li>{@code environment} — optional free text describing the machine (cores, PostgreSQL version).</li>
 * </ul>
 * Report paths in the JSON are relative to the working directory (the repository root when run by the script).
 */
public final class SearchReport {

    /** Variants in reporting order: with the search index, then without it. */
    public static final List<String> VARIANTS = List.of("indexed", "unindexed");
    /** Machine-readable results file, in the docs directory. */
    public static final String JSON_FILE = "search.json";
    /** Markdown file whose generated section is rewritten, in the docs directory. */
    public static final String MARKDOWN_FILE = "search.md";
    /** Throughput chart file, in the docs directory. */
    public static final String THROUGHPUT_PNG = "search-throughput.png";
    /** EXPLAIN (ANALYZE, BUFFERS) output written by scripts/bench/search.sh, in the docs directory. */
    public static final String PLANS_FILE = "search-plans.txt";
    /** The benchmarked request. */
    public static final String ENDPOINT = "GET /user/search?first_name=<prefix>&last_name=<prefix>";

    private static final Pattern USERS_DIR = Pattern.compile("u(\\d+)");

    private SearchReport() {
    }

    /**
     * The whole {@code search.json} document.
     *
     * @param endpoint the benchmarked request
     * @param generatedAt when this report was generated, ISO-8601 UTC
     * @param durationS length of each run, seconds
     * @param workload how load was applied, in words
     * @param firstNamePrefixChars length of the first-name prefixes in the feeder, characters
     * @param lastNamePrefixChars length of the surname prefixes in the feeder, characters
     * @param resultSize size of the answers for the feeder, or null if not measured
     * @param environment the machine, in words, or null
     * @param runs the runs, variant by variant, by increasing concurrency
     * @param charts the chart files, relative to the docs directory
     */
    public record SearchBenchmark(
            String endpoint,
            String generatedAt,
            int durationS,
            String workload,
            int firstNamePrefixChars,
            int lastNamePrefixChars,
            SearchResultSize resultSize,
            String environment,
            List<SearchRun> runs,
            List<String> charts) {
    }

    /**
     * Generates the report; see the class comment for the arguments.
     *
     * @param args {@code --name=value} arguments
     * @throws IOException if a report cannot be read or an output cannot be written
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        MainArguments arguments = MainArguments.parse(args);
        Path runsDir = arguments.requirePath("runs");
        Path docsDir = arguments.requirePath("docs");
        String resultSizeFile = arguments.stringOr("result-size", "");
        SearchResultSize resultSize = resultSizeFile.isEmpty() || !Files.exists(Path.of(resultSizeFile))
                ? null
                : SearchResultSizeProbe.JSON.readValue(Path.of(resultSizeFile).toFile(), SearchResultSize.class);
        Double meanRows = resultSize == null ? null : resultSize.meanRows();

        List<SearchRun> runs = readRuns(runsDir, meanRows);
        if (runs.isEmpty()) {
            throw new IllegalStateException("no Gatling reports under " + runsDir.toAbsolutePath()
                    + " (expected <variant>/u<users>/index.html)");
        }
        List<String> variants = VARIANTS.stream().filter(v -> runs.stream().anyMatch(r -> r.variant().equals(v))).toList();

        Files.createDirectories(docsDir);
        List<String> charts = new ArrayList<>();
        SearchCharts.writeThroughput(runs, variants, docsDir.resolve(THROUGHPUT_PNG));
        charts.add(THROUGHPUT_PNG);
        for (String variant : variants) {
            String png = "search-latency-" + variant + ".png";
            SearchCharts.writeLatency(runs, variant, docsDir.resolve(png));
            charts.add(png);
        }

        SearchBenchmark benchmark = new SearchBenchmark(
                ENDPOINT,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                arguments.intOr("duration-s", 0),
                "closed model, N virtual users, each sending its next request as soon as its previous answer arrives",
                arguments.intOr("first-prefix-chars", 0),
                arguments.intOr("last-prefix-chars", 0),
                resultSize,
                arguments.stringOr("environment", null),
                runs,
                charts);
        SearchResultSizeProbe.JSON.writerWithDefaultPrettyPrinter().writeValue(docsDir.resolve(JSON_FILE).toFile(), benchmark);
        GeneratedMarkdownSection.write(docsDir.resolve(MARKDOWN_FILE), "People search benchmark", markdown(benchmark));
        System.out.println("search report: " + runs.size() + " runs -> " + docsDir.resolve(JSON_FILE) + ", "
                + docsDir.resolve(MARKDOWN_FILE) + ", " + String.join(", ", charts));
    }

    /**
     * Reads every {@code <variant>/u<users>} report under {@code runsDir}.
     *
     * @param runsDir the runs directory
     * @param meanRows mean users per answer, or null
     * @return the runs in {@link #VARIANTS} order, then by increasing concurrency; unknown variants are skipped
     * @throws IOException if a report cannot be read
     */
    static List<SearchRun> readRuns(Path runsDir, Double meanRows) throws IOException {
        List<SearchRun> runs = new ArrayList<>();
        for (String variant : VARIANTS) {
            Path variantDir = runsDir.resolve(variant);
            if (!Files.isDirectory(variantDir)) {
                continue;
            }
            List<Path> reportDirs;
            try (Stream<Path> children = Files.list(variantDir)) {
                reportDirs = children
                        .filter(dir -> USERS_DIR.matcher(dir.getFileName().toString()).matches())
                        .filter(dir -> Files.exists(dir.resolve(GatlingRunStats.REPORT_INDEX_FILE)))
                        .toList();
            }
            for (Path reportDir : reportDirs) {
                Matcher users = USERS_DIR.matcher(reportDir.getFileName().toString());
                users.matches();
                GatlingRunStats stats = GatlingRunStats.read(reportDir);
                runs.add(SearchRun.of(variant, Integer.parseInt(users.group(1)), stats, meanRows, reportDir.toString()));
            }
        }
        runs.sort(Comparator.comparing((SearchRun run) -> VARIANTS.indexOf(run.variant())).thenComparing(SearchRun::users));
        return runs;
    }

    /**
     * The generated markdown: settings, results table, index speed-up, charts.
     *
     * @param benchmark the results
     * @return markdown text, without the section markers
     */
    static String markdown(SearchBenchmark benchmark) {
        StringBuilder md = new StringBuilder();
        md.append("_Generated by `./socnet bench search` (`dev.socnet.loadtest.report.SearchReport`) at ")
                .append(benchmark.generatedAt())
                .append("; everything between the results markers is rewritten by the next run._\n\n");
        md.append("- Request: `").append(benchmark.endpoint()).append("`, answers capped at 100 users.\n");
        md.append("- Workload: ").append(benchmark.workload()).append("; ")
                .append(benchmark.durationS()).append(" s per run, after a short warm-up per variant.\n");
        md.append("- Search terms: random (first name, surname) prefix pairs of real users, ")
                .append(benchmark.firstNamePrefixChars()).append(" + ")
                .append(benchmark.lastNamePrefixChars()).append(" characters");
        SearchResultSize size = benchmark.resultSize();
        if (size != null) {
            md.append(", ").append(String.format(Locale.ROOT, "%,d", size.feederRows())).append(" pairs");
        }
        md.append(".\n");
        if (size != null && size.meanRows() != null) {
            md.append(String.format(Locale.ROOT,
                    "- Answer size: %.1f users on average (max %d, %d empty of %d; mean body %.1f KiB), measured over %d feeder entries.%n",
                    size.meanRows(), size.maxRows(), size.emptyAnswers(), size.samples() - size.failed(),
                    size.meanBodyBytes() / 1024, size.samples()));
        }
        if (benchmark.environment() != null) {
            md.append("- Environment: ").append(benchmark.environment()).append(".\n");
        }
        md.append("- Variants: `indexed` — with `users_name_prefix_idx`; `unindexed` — the same runs after "
                + "`drop index users_name_prefix_idx` (recreated afterwards).\n\n");

        md.append("| variant | users | throughput, req/s | p50, ms | p95, ms | p99, ms | p99.9, ms | max, ms | requests | errors | mean rows |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (SearchRun run : benchmark.runs()) {
            md.append("| ").append(run.variant())
                    .append(" | ").append(run.users())
                    .append(" | ").append(number(run.throughputRps()))
                    .append(" | ").append(number(run.p50Ms()))
                    .append(" | ").append(number(run.p95Ms()))
                    .append(" | ").append(number(run.p99Ms()))
                    .append(" | ").append(number(run.p999Ms()))
                    .append(" | ").append(number(run.maxMs()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", run.requests()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", run.errors()))
                    .append(" | ").append(number(run.meanResultRows()))
                    .append(" |\n");
        }
        md.append("\nThroughput counts successful (200) answers per second; latencies are Gatling response times of "
                + "all requests of the run, errors included, in whole milliseconds.\n");

        String speedUp = speedUp(benchmark.runs());
        if (!speedUp.isEmpty()) {
            md.append("\nIndex speed-up (indexed ÷ unindexed throughput): ").append(speedUp).append(".\n");
        }
        md.append('\n');
        for (String chart : benchmark.charts()) {
            md.append("![").append(chart.replace(".png", "")).append("](").append(chart).append(")\n");
        }
        md.append("\nQuery plans of this run, with and without the index: [").append(PLANS_FILE).append("](")
                .append(PLANS_FILE).append(").\n");
        return md.toString();
    }

    private static String speedUp(List<SearchRun> runs) {
        List<String> parts = new ArrayList<>();
        for (SearchRun indexed : runs) {
            if (!indexed.variant().equals("indexed")) {
                continue;
            }
            runs.stream()
                    .filter(run -> run.variant().equals("unindexed") && run.users() == indexed.users())
                    .filter(run -> run.throughputRps() > 0)
                    .findFirst()
                    .ifPresent(unindexed -> {
                        double ratio = indexed.throughputRps() / unindexed.throughputRps();
                        parts.add(String.format(Locale.ROOT, ratio < 10 ? "%d %s ×%.1f" : "%d %s ×%,.0f",
                                indexed.users(), indexed.users() == 1 ? "user" : "users", ratio));
                    });
        }
        return String.join(", ", parts);
    }

    private static String number(Double value) {
        if (value == null) {
            return "—";
        }
        return value == Math.rint(value)
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%,.1f", value);
    }
}
