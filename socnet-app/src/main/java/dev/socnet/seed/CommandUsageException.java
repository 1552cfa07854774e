package dev.socnet.seed;

/**
 * The command line of a one-shot command is wrong; the message says what and {@link #usage()}
 * shows the right shape. Thrown before anything touches the database.
 */
class CommandUsageException extends IllegalArgumentException {

    private final String usage;

    CommandUsageException(String problem, String usage) {
        super(problem);
        this.usage = usage;
    }

    /** One-line synopsis of the command, e.g. {@code usage: java -jar socnet-app.jar seed --users N}. */
    String usage() {
        return usage;
    }
}
