package dev.socnet.loadtest.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The look every benchmark report's PNG charts share (XChart bar charts, and line charts of series over time): {@value #WIDTH_PX} × {@value #HEIGHT_PX}
 * pixels, white background, value labels on the bars, the legend inside the top left corner, numbers as
 * {@code #,##0.#}. A report changes what its chart needs (legend position, number format) on the chart it gets.
 */
public final class ReportCharts {

    /** Chart width, pixels. */
    public static final int WIDTH_PX = 900;
    /** Chart height, pixels. */
    public static final int HEIGHT_PX = 540;

    private ReportCharts() {
    }

    /** An empty bar chart with these titles, in the shared look. */
    public static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH_PX).height(HEIGHT_PX)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLabelsVisible(true);
        styler.setDecimalPattern("#,##0.#");
        styler.setYAxisDecimalPattern("#,##0.#");
        return chart;
    }

    /** An empty line chart (x: seconds into the run) with these titles, in the shared look, legend outside right. */
    public static XYChart lines(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH_PX).height(HEIGHT_PX)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setMarkerSize(0);
        styler.setDecimalPattern("#,##0.##");
        styler.setYAxisDecimalPattern("#,##0.##");
        styler.setXAxisDecimalPattern("#,##0");
        return chart;
    }

    /**
     * Adds the series of every run in {@code runs} for {@code figure} to {@code chart}, x in seconds from the
     * start of each run's window, named {@code "<run>: <series>"} (just the series' name for a single run).
     *
     * @return how many series were added (0: Prometheus had nothing for this figure)
     */
    public static int addServerSeries(XYChart chart, java.util.Map<String, ServerMetrics> runs, String figure) {
        int added = 0;
        for (var run : runs.entrySet()) {
            for (ServerMetrics.ServerSeries s : run.getValue().figure(figure)) {
                java.util.List<Double> x = new java.util.ArrayList<>();
                java.util.List<Double> y = new java.util.ArrayList<>();
                for (PrometheusClient.Sample sample : s.samples()) {
                    if (Double.isFinite(sample.value())) {
                        x.add(sample.epochS() - run.getValue().fromEpochS());
                        y.add(sample.value());
                    }
                }
                if (x.isEmpty()) {
                    continue;
                }
                String name = runs.size() == 1 ? s.name() : run.getKey() + ": " + s.name();
                chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
                added++;
            }
        }
        return added;
    }

    /**
     * Writes {@code chart} as a PNG.
     *
     * @param png the file to write (overwritten)
     * @throws IOException if the file cannot be written
     */
    public static void save(Chart<?, ?> chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
