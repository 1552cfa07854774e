package dev.socnet.seed;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.socnet.SocnetApplication;

/**
 * {@code java -jar socnet-app.jar seed-graph [--seed S] [--replace]}: grows the follow graph and
 * posts over the users already loaded (see {@link GraphSeeder}) and prints what it made. Runs only
 * when the application was started with the {@code seed-graph} command. Bad arguments or a failed
 * load print a one-line reason on stderr and fail the run, so the process exits non-zero.
 */
@Component
@ConditionalOnProperty(name = SocnetApplication.COMMAND_PROPERTY, havingValue = "seed-graph")
class GraphSeedCommand implements ApplicationRunner {

    private final GraphSeeder seeder;
    private final CommandOutput output = CommandOutput.console("seed-graph");
    private final PrintStream out = System.out;

    GraphSeedCommand(GraphSeeder seeder) {
        this.seeder = seeder;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            GraphArguments graph = GraphArguments.from(args);
            long started = System.nanoTime();
            GraphReport report = seeder.seed(graph.seed(), graph.replace());
            print(report, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            output.failed(e);
            throw e;
        }
    }

    private void print(GraphReport r, Duration wall) {
        out.printf(Locale.ROOT, "Seeded %d follows and %d posts over %d users in %.1f s; COPY %.1f s, keys+indexes+crowning "
                + "%.1f s, VACUUM (ANALYZE) %.1f s.%n", r.follows(), r.posts(), r.users(), seconds(wall), seconds(r.copy()),
                seconds(r.indexes()), seconds(r.vacuum()));
        out.printf(Locale.ROOT, "Followees per user: median %d, p90 %d, max %d (%.1f on average).%n", r.followeesMedian(),
                r.followeesP90(), r.followeesMax(), r.follows() / (double) r.users());
        out.printf("Seeded celebrities' followers: %s; users crowned (more followers than the threshold): %d.%n",
                r.celebrityFollowers(), r.crowned());
        out.flush();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
