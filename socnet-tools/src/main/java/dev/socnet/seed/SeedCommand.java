package dev.socnet.seed;

import java.io.PrintWriter;
import java.time.Duration;

import org.springframework.context.ApplicationContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seed --users N [--password P] [--seed S]}: generates N users ({@link UserSeeder}) and prints
 * count, time, rows/s and the password.
 */
@Command(name = "seed", description = "Generate N users (Datafaker, ru locale) and load them with one COPY, all or nothing.")
final class SeedCommand extends ToolCommand {

    /** Seed used when {@code --seed} is not given (also by {@code seed-graph}). */
    static final long DEFAULT_SEED = 42;

    @Option(names = "--users", required = true, paramLabel = "N", description = "how many users, at least 1")
    int users;

    @Option(names = "--password", paramLabel = "P", defaultValue = SharedPassword.DEFAULT_PLAIN,
            description = "password of every user, 6 characters to 72 UTF-8 bytes (default: ${DEFAULT-VALUE})")
    String password;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DEFAULT_SEED,
            description = "random seed of the generated people (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    void validate() {
        if (users < 1) {
            throw usage("--users must be positive, got " + users);
        }
    }

    @Override
    void run(ApplicationContext context, PrintWriter out) {
        long started = System.nanoTime();
        LoadReport report = context.getBean(UserSeeder.class).seed(users, password, seed);
        CommandOutput.loaded(out, "Seeded", report, Duration.ofNanos(System.nanoTime() - started));
    }
}
