package dev.socnet.seed;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.context.ApplicationContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code import FILE [--password P]}: imports a people file ({@link PeopleImporter}) and prints count,
 * time and the password. A malformed line fails the run naming its line number, with nothing imported.
 */
@Command(name = "import", description = "Import a people.v2.csv / people.csv file into users, all lines or none.")
final class ImportCommand extends ToolCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "the people file (UTF-8, BOM allowed)")
    Path file;

    @Option(names = "--password", paramLabel = "P", defaultValue = SharedPassword.DEFAULT_PLAIN,
            description = "password of every imported user (default: ${DEFAULT-VALUE})")
    String password;

    @Override
    void validate() {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw usage("no readable file " + file.toAbsolutePath());
        }
    }

    @Override
    void run(ApplicationContext context, PrintWriter out) {
        long started = System.nanoTime();
        LoadReport report = context.getBean(PeopleImporter.class).importFile(file, password);
        CommandOutput.loaded(out, "Imported", report, Duration.ofNanos(System.nanoTime() - started));
    }
}
