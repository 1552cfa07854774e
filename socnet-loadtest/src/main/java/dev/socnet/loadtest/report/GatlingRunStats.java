package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The global statistics ("All Requests") of one Gatling run, read from its HTML report.
 *
 * <p>Gatling 3.15 writes neither {@code js/stats.json} nor a text {@code simulation.log} (the log is binary
 * and its layout is internal), so the statistics are read from the report's {@code index.html}: the row
 * {@code tr#ROOT} of {@code table#container_statistics_head}, each cell matched to its header by the
 * {@code col-N} class, headers looked up by their text. The percentile headers follow gatling.conf
 * ({@code gatling.charting.indicators.percentile1..4} = 50, 95, 99, 99.9 in src/test/resources).
 *
 * <p>Response times are those Gatling reports for all requests, OK and KO together, in whole milliseconds;
 * a statistic Gatling shows as "-" (nothing to measure) is {@link Double#NaN}.
 *
 * @param description the run description ({@code -Dgatling.runDescription}), empty if none
 * @param requests requests sent and answered or failed, count
 * @param ok requests that passed their checks, count
 * @param ko requests that failed (bad status, timeout, connection error), count
 * @param requestsPerS mean number of requests per second over the run, OK and KO together
 * @param p50Ms 50th percentile response time, ms
 * @param p95Ms 95th percentile response time, ms
 * @param p99Ms 99th percentile response time, ms
 * @param p999Ms 99.9th percentile response time, ms
 * @param maxMs maximum response time, ms
 * @param meanMs mean response time, ms
 */
public record GatlingRunStats(
        String description,
        long requests,
        long ok,
        long ko,
        double requestsPerS,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        double meanMs) {

    /** The report page holding the global statistics table. */
    public static final String REPORT_INDEX_FILE = "index.html";

    /**
     * Reads the global statistics of the Gatling report in {@code reportDir}.
     *
     * @param reportDir a Gatling report directory (the one holding {@value #REPORT_INDEX_FILE})
     * @return the run's global statistics
     * @throws IOException if the report cannot be read
     * @throws IllegalStateException if the page has no statistics table or misses a column (for example
     *     percentiles other than 50/95/99/99.9 configured)
     */
    public static GatlingRunStats read(Path reportDir) throws IOException {
        Path index = reportDir.resolve(REPORT_INDEX_FILE);
        Document page = Jsoup.parse(Files.readString(index, StandardCharsets.UTF_8), index.toUri().toString());
        Element table = page.getElementById("container_statistics_head");
        Element root = table == null ? null : table.selectFirst("tr#ROOT");
        if (root == null) {
            throw new IllegalStateException(index + ": no Gatling statistics table (table#container_statistics_head tr#ROOT)");
        }
        Map<String, String> columnByHeader = new HashMap<>();
        for (Element header : table.select("thead th[id^=col-]")) {
            columnByHeader.put(header.text().strip(), header.id());
        }
        Map<String, String> valueByColumn = new HashMap<>();
        for (Element cell : root.select("> td")) {
            for (String cssClass : cell.classNames()) {
                if (cssClass.startsWith("col-")) {
                    valueByColumn.put(cssClass, cell.ownText().strip());
                }
            }
        }
        Element descriptionItem = page.selectFirst("#simulation-information .description");
        String description = descriptionItem == null ? "" : descriptionItem.attr("data-content");

        Cells cells = new Cells(index, columnByHeader, valueByColumn);
        return new GatlingRunStats(
                description,
                (long) cells.number("Total"),
                (long) cells.number("OK"),
                (long) cells.number("KO"),
                cells.number("Cnt/s"),
                cells.number("50th pct"),
                cells.number("95th pct"),
                cells.number("99th pct"),
                cells.number("99.9th pct"),
                cells.number("Max"),
                cells.number("Mean"));
    }

    /**
     * Successful requests per second: the run's request rate times its OK share.
     *
     * @return OK requests per second, 0 when nothing was sent
     */
    public double okPerS() {
        return requests == 0 ? 0 : requestsPerS * ok / requests;
    }

    /** The cells of the ROOT row, by header text. */
    private record Cells(Path index, Map<String, String> columnByHeader, Map<String, String> valueByColumn) {

        double number(String header) {
            String column = columnByHeader.get(header);
            String text = column == null ? null : valueByColumn.get(column);
            if (text == null) {
                throw new IllegalStateException(index + ": no \"" + header + "\" column in the statistics table; headers: "
                        + columnByHeader.keySet());
            }
            // Gatling prints "-" for a statistic with no data, and may group thousands with commas.
            String plain = text.replace(",", "").replace("\u00a0", "").strip();
            return plain.isEmpty() || plain.equals("-") ? Double.NaN : Double.parseDouble(plain);
        }
    }
}
