package dev.socnet.seed;

import java.time.Duration;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.socnet.SocnetApplication;

/**
 * {@code java -jar socnet-app.jar seed --users N [--password P] [--seed S]}: generates N users
 * (see {@link UserSeeder}) and prints count, time, rows/s and the password. Runs only when the
 * application was started with the {@code seed} command. Bad arguments or a failed load print a
 * one-line reason on stderr and fail the run, so the process exits non-zero.
 */
@Component
@ConditionalOnProperty(name = SocnetApplication.COMMAND_PROPERTY, havingValue = "seed")
class SeedCommand implements ApplicationRunner {

    private final UserSeeder seeder;
    private final CommandOutput output = CommandOutput.console("seed");

    SeedCommand(UserSeeder seeder) {
        this.seeder = seeder;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            SeedArguments seed = SeedArguments.from(args);
            long started = System.nanoTime();
            LoadReport report = seeder.seed(seed.users(), seed.password(), seed.seed());
            output.loaded("Seeded", report, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            output.failed(e);
            throw e;
        }
    }
}
