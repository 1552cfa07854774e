package dev.socnet.seed;

import java.util.Set;

import org.springframework.boot.ApplicationArguments;

/**
 * The parsed command line of {@code seed --users N [--password P] [--seed S]}.
 *
 * @param users how many users to generate, at least 1
 * @param password clear-text password of every generated user
 * @param seed random seed of the generated data
 */
record SeedArguments(int users, String password, long seed) {

    static final String USAGE = "usage: java -jar socnet-app.jar seed --users N [--password P] [--seed S]";

    /** Seed used when {@code --seed} is not given. */
    static final long DEFAULT_SEED = 42;

    /**
     * @throws CommandUsageException when {@code --users} is missing, not a positive whole number, or
     *         anything else on the line is unexpected
     */
    static SeedArguments from(ApplicationArguments args) {
        CommandArguments line = CommandArguments.parse(args, Set.of("users", "password", "seed"), USAGE);
        if (line.positional().size() > 1) {
            throw new CommandUsageException("unexpected argument '" + line.positional().get(1) + "'", USAGE);
        }
        String users = line.option("users").orElseThrow(() -> new CommandUsageException(
                "--users is required: how many users to generate, e.g. seed --users 1000000", USAGE));
        int count;
        try {
            count = Integer.parseInt(users);
        } catch (NumberFormatException e) {
            throw new CommandUsageException("--users must be a whole number up to " + Integer.MAX_VALUE
                    + ", got '" + users + "'", USAGE);
        }
        if (count < 1) {
            throw new CommandUsageException("--users must be positive, got " + count, USAGE);
        }
        long seed;
        String seedText = line.option("seed").orElse(Long.toString(DEFAULT_SEED));
        try {
            seed = Long.parseLong(seedText);
        } catch (NumberFormatException e) {
            throw new CommandUsageException("--seed must be a whole number, got '" + seedText + "'", USAGE);
        }
        return new SeedArguments(count, line.option("password").orElse(SharedPassword.DEFAULT_PLAIN), seed);
    }
}
