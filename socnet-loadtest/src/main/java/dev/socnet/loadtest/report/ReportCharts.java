package dev.socnet.loadtest.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The look every benchmark report's PNG charts share (XChart bar charts): {@value #WIDTH_PX} × {@value #HEIGHT_PX}
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

    /**
     * Writes {@code chart} as a PNG.
     *
     * @param png the file to write (overwritten)
     * @throws IOException if the file cannot be written
     */
    public static void save(CategoryChart chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
