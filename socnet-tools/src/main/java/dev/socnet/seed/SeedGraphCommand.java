package dev.socnet.seed;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

import org.springframework.context.ApplicationContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code seed-graph [--seed S] [--replace]}: grows the follow graph and posts over the users already
 * loaded ({@link GraphSeeder}) and prints what it made. {@code --replace} stands alone or takes
 * {@code yes}/{@code no} ({@code --replace=no}).
 */
@Command(name = "seed-graph", description = "Grow a follow graph (celebrities included) and posts over the loaded users, in one transaction.")
final class SeedGraphCommand extends ToolCommand {

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + SeedCommand.DEFAULT_SEED,
            description = "random seed of the graph and posts (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--replace", arity = "0..1", paramLabel = "yes|no", fallbackValue = "yes", defaultValue = "no",
            converter = YesNo.class,
            description = "first empty follows, posts, celebrities and filled-feed records (without it, existing follows or posts are refused)")
    boolean replace;

    @Override
    void run(ApplicationContext context, PrintWriter out) {
        long started = System.nanoTime();
        GraphReport r = context.getBean(GraphSeeder.class).seed(seed, replace);
        double wall = seconds(Duration.ofNanos(System.nanoTime() - started));
        out.printf(Locale.ROOT, "Seeded %d follows and %d posts over %d users in %.1f s; COPY %.1f s, keys+indexes+crowning "
                + "%.1f s, VACUUM (ANALYZE) %.1f s.%n", r.follows(), r.posts(), r.users(), wall, seconds(r.copy()),
                seconds(r.indexes()), seconds(r.vacuum()));
        out.printf(Locale.ROOT, "Followees per user: median %d, p90 %d, max %d (%.1f on average).%n", r.followeesMedian(),
                r.followeesP90(), r.followeesMax(), r.follows() / (double) r.users());
        out.printf("Seeded celebrities' followers: %s; users crowned (more followers than the threshold): %d.%n",
                r.celebrityFollowers(), r.crowned());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** {@code yes}/{@code no} (and {@code true}/{@code false}), as the options of ./socnet say them. */
    static final class YesNo implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "yes", "true" -> true;
                case "no", "false" -> false;
                default -> throw new TypeConversionException("stands alone or takes yes or no, got '" + value + "'");
            };
        }
    }
}
