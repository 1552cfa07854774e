package dev.socnet.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated part of a hand-written markdown file: the text between the lines {@value #BEGIN_MARKER} and
 * {@value #END_MARKER}. Writing it replaces only that part, so the rest of the file (method, EXPLAIN plans,
 * conclusions written by people) is kept.
 */
public final class GeneratedMarkdownSection {

    /** Line that opens the generated part. */
    public static final String BEGIN_MARKER = "<!-- results:begin -->";
    /** Line that closes the generated part. */
    public static final String END_MARKER = "<!-- results:end -->";

    private GeneratedMarkdownSection() {
    }

    /**
     * Puts {@code body} between the markers of {@code file}. A file without markers gets a
     * {@code ## Results} section with them appended; a missing file is created with {@code title} as its
     * heading.
     *
     * @param file the markdown file (UTF-8)
     * @param title first-level heading of a newly created file
     * @param body the generated markdown, without the markers
     * @throws IOException if the file cannot be read or written
     * @throws IllegalStateException if the file has only one marker, or the end marker before the begin marker
     */
    public static void write(Path file, String title, String body) throws IOException {
        String section = BEGIN_MARKER + "\n" + body.strip() + "\n" + END_MARKER;
        String text;
        if (!Files.exists(file)) {
            text = "# " + title + "\n\n## Results\n\n" + section + "\n";
        } else {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            int begin = old.indexOf(BEGIN_MARKER);
            int end = old.indexOf(END_MARKER);
            if (begin < 0 && end < 0) {
                text = old.stripTrailing() + "\n\n## Results\n\n" + section + "\n";
            } else if (begin < 0 || end < begin) {
                throw new IllegalStateException(file + ": expected " + BEGIN_MARKER + " before " + END_MARKER);
            } else {
                text = old.substring(0, begin) + section + old.substring(end + END_MARKER.length());
            }
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
