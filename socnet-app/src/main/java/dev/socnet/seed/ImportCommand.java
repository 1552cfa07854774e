package dev.socnet.seed;

import java.time.Duration;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.socnet.SocnetApplication;

/**
 * {@code java -jar socnet-app.jar import FILE [--password P]}: imports a people file (see
 * {@link PeopleImporter}) and prints count, time and the password. Runs only when the application
 * was started with the {@code import} command. A malformed line, a missing file or bad arguments
 * print a one-line reason on stderr (with the line number for a bad line) and fail the run, so the
 * process exits non-zero with nothing imported.
 */
@Component
@ConditionalOnProperty(name = SocnetApplication.COMMAND_PROPERTY, havingValue = "import")
class ImportCommand implements ApplicationRunner {

    private final PeopleImporter importer;
    private final CommandOutput output = CommandOutput.console("import");

    ImportCommand(PeopleImporter importer) {
        this.importer = importer;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            ImportArguments line = ImportArguments.from(args);
            long started = System.nanoTime();
            LoadReport report = importer.importFile(line.file(), line.password());
            output.loaded("Imported", report, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            output.failed(e);
            throw e;
        }
    }
}
