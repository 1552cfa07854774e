package dev.socnet.seed;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * What the user-loading commands print on stdout. Plain text, independent of the application log.
 */
final class CommandOutput {

    private CommandOutput() {
    }

    /**
     * Prints the result of a committed load, e.g.
     * {@code Seeded 1000000 users in 31.2 s (32051 rows/s); COPY+commit 27.0 s, VACUUM (ANALYZE) 3.1 s.}
     * followed by the id range and the password.
     *
     * @param verb past tense of the command, e.g. {@code Seeded}
     * @param wall wall time of the whole command, including data preparation
     */
    static void loaded(PrintWriter out, String verb, LoadReport report, Duration wall) {
        double seconds = wall.toNanos() / 1e9;
        out.printf(Locale.ROOT, "%s %d users in %.1f s (%.0f rows/s); COPY+commit %.1f s, VACUUM (ANALYZE) %.1f s.%n",
                verb, report.users(), seconds, seconds > 0 ? report.users() / seconds : 0,
                report.load().toNanos() / 1e9, report.vacuum().toNanos() / 1e9);
        if (report.users() > 0) {
            out.printf("Ids %s .. %s%n", report.firstId(), report.lastId());
        }
        out.printf("Password of every %s user: %s%n", verb.toLowerCase(Locale.ROOT), report.password());
    }
}
