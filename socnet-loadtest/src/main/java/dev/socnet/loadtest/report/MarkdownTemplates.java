package dev.socnet.loadtest.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;

/**
 * The reports' Markdown, written with Mustache templates ({@code src/main/resources/templates/*.md.mustache},
 * mustache.java). Values are written as they are (no HTML escaping: the output is Markdown, and every value is
 * the report's own text or a number); the reports hand the templates numbers already formatted
 * ({@link #number}, {@link #ms}).
 */
public final class MarkdownTemplates {

    private static final MustacheFactory FACTORY = new DefaultMustacheFactory("templates") {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private MarkdownTemplates() {
    }

    /**
     * Renders {@code templates/<name>.md.mustache} with {@code scope}.
     *
     * @param name the template's name, for example {@code "feed"}
     * @param scope the values (a map, or an object whose fields, record components and methods the template names)
     * @return the Markdown
     * @throws com.github.mustachejava.MustacheNotFoundException if there is no such template
     */
    public static String render(String name, Object scope) {
        Mustache template = FACTORY.compile(name + ".md.mustache");
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }

    /** {@code value} with {@code decimals} decimals, "–" for null or NaN. */
    public static String number(Double value, int decimals) {
        return value == null || !Double.isFinite(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Milliseconds, whole; "–" for null or NaN. */
    public static String ms(Double value) {
        return number(value, 0);
    }
}
