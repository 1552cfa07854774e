package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.knowm.xchart.CategoryChart;

/** PNG charts of the people-search benchmark, drawn with XChart. */
public final class SearchCharts {

    private SearchCharts() {
    }

    /**
     * Grouped bars of successful requests per second by concurrency, one series per variant. The y axis is
     * logarithmic when every bar is positive, because the variants differ by orders of magnitude.
     *
     * @param runs the runs, any order; variants in the order given
     * @param variants variants to draw, as series in this order
     * @param png the file to write (overwritten)
     * @throws IOException if the file cannot be written
     */
    public static void writeThroughput(List<SearchRun> runs, List<String> variants, Path png) throws IOException {
        List<Integer> concurrency = concurrencyLevels(runs);
        Map<String, List<Double>> seriesByVariant = new LinkedHashMap<>();
        for (String variant : variants) {
            List<Double> values = concurrency.stream()
                    .map(users -> find(runs, variant, users).map(SearchRun::throughputRps).orElse(null))
                    .toList();
            if (values.stream().anyMatch(Objects::nonNull)) {
                seriesByVariant.put(variant, zeroForMissing(values));
            }
        }
        boolean allPositive = seriesByVariant.values().stream().flatMap(List::stream).allMatch(value -> value > 0);
        CategoryChart chart = newChart(
                "People search throughput" + (allPositive ? " (log scale)" : ""),
                "concurrent users", "successful requests / s");
        if (allPositive) {
            // Bars start at the axis minimum, which must be positive on a log axis: the decade below the lowest bar.
            double lowest = seriesByVariant.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min().orElse(1);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest))));
        }
        seriesByVariant.forEach((variant, values) -> chart.addSeries(variant, labels(concurrency), values));
        ReportCharts.save(chart, png);
    }

    /**
     * Grouped bars of the p50, p95 and p99 response times of one variant by concurrency.
     *
     * @param runs the runs, any order; only those of {@code variant} are drawn
     * @param variant the variant to draw
     * @param png the file to write (overwritten)
     * @throws IOException if the file cannot be written
     */
    public static void writeLatency(List<SearchRun> runs, String variant, Path png) throws IOException {
        List<SearchRun> ofVariant = runs.stream().filter(run -> run.variant().equals(variant)).toList();
        List<Integer> concurrency = concurrencyLevels(ofVariant);
        CategoryChart chart = newChart("People search latency, " + variant, "concurrent users", "response time, ms");
        addLatencySeries(chart, ofVariant, variant, concurrency, "p50", SearchRun::p50Ms);
        addLatencySeries(chart, ofVariant, variant, concurrency, "p95", SearchRun::p95Ms);
        addLatencySeries(chart, ofVariant, variant, concurrency, "p99", SearchRun::p99Ms);
        ReportCharts.save(chart, png);
    }

    private static void addLatencySeries(CategoryChart chart, List<SearchRun> runs, String variant,
            List<Integer> concurrency, String name, Function<SearchRun, Double> latencyMs) {
        List<Double> values = concurrency.stream()
                .map(users -> find(runs, variant, users).map(latencyMs).orElse(null))
                .toList();
        chart.addSeries(name, labels(concurrency), zeroForMissing(values));
    }

    private static CategoryChart newChart(String title, String xTitle, String yTitle) {
        CategoryChart chart = ReportCharts.bars(title, xTitle, yTitle);
        chart.getStyler().setOverlapped(false);
        return chart;
    }

    private static List<Integer> concurrencyLevels(List<SearchRun> runs) {
        return runs.stream().map(SearchRun::users).distinct().sorted().toList();
    }

    private static List<String> labels(List<Integer> concurrency) {
        return concurrency.stream().map(String::valueOf).toList();
    }

    private static Optional<SearchRun> find(List<SearchRun> runs, String variant, int users) {
        return runs.stream().filter(run -> run.variant().equals(variant) && run.users() == users).findFirst();
    }

    /** XChart needs a number per category; a missing run is drawn as an empty (zero) bar. */
    private static List<Double> zeroForMissing(List<Double> values) {
        List<Double> numbers = new ArrayList<>(values.size());
        for (Double value : values) {
            numbers.add(value == null ? 0.0 : value);
        }
        return numbers;
    }
}
