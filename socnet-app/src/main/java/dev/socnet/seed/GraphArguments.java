package dev.socnet.seed;

import java.util.Set;

import org.springframework.boot.ApplicationArguments;

/**
 * The parsed command line of {@code seed-graph [--seed S] [--replace]} ({@code --replace=no} also parses).
 *
 * @param seed    random seed of the graph and posts
 * @param replace whether existing follows, posts, celebrities and filled-feed records are removed first
 */
record GraphArguments(long seed, boolean replace) {

    static final String USAGE = "usage: java -jar socnet-app.jar seed-graph [--seed S] [--replace]";

    /** @throws CommandUsageException for unknown options, stray arguments or values that do not parse */
    static GraphArguments from(ApplicationArguments args) {
        CommandArguments line = CommandArguments.parse(args, Set.of("seed", "replace"), Set.of("replace"), USAGE);
        if (line.positional().size() > 1) {
            throw new CommandUsageException("unexpected argument '" + line.positional().get(1) + "'", USAGE);
        }
        String seedText = line.option("seed").orElse(Long.toString(SeedArguments.DEFAULT_SEED));
        long seed;
        try {
            seed = Long.parseLong(seedText);
        } catch (NumberFormatException e) {
            throw new CommandUsageException("--seed must be a whole number, got '" + seedText + "'", USAGE);
        }
        String replace = line.option("replace").orElse("no");
        if (!replace.equals("yes") && !replace.equals("no")) {
            throw new CommandUsageException("--replace stands alone or takes yes or no, got '" + replace + "'", USAGE);
        }
        return new GraphArguments(seed, replace.equals("yes"));
    }
}
