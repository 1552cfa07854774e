package dev.socnet.seed;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

import org.springframework.boot.ApplicationArguments;

/**
 * The parsed command line of {@code import FILE [--password P]}.
 *
 * @param file the people file to import; exists and is a regular file
 * @param password clear-text password of every imported user
 */
record ImportArguments(Path file, String password) {

    static final String USAGE = "usage: java -jar socnet-app.jar import FILE [--password P]";

    /**
     * @throws CommandUsageException when there is no file, more than one, or it is not a readable file
     */
    static ImportArguments from(ApplicationArguments args) {
        CommandArguments line = CommandArguments.parse(args, Set.of("password"), USAGE);
        if (line.positional().size() < 2) {
            throw new CommandUsageException("which file? e.g. import people.v2.csv", USAGE);
        }
        if (line.positional().size() > 2) {
            throw new CommandUsageException("unexpected argument '" + line.positional().get(2) + "'", USAGE);
        }
        Path file;
        try {
            file = Path.of(line.positional().get(1));
        } catch (InvalidPathException e) {
            throw new CommandUsageException("bad file name: " + e.getMessage(), USAGE);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CommandUsageException("no readable file " + file.toAbsolutePath(), USAGE);
        }
        return new ImportArguments(file, line.option("password").orElse(SharedPassword.DEFAULT_PLAIN));
    }
}
