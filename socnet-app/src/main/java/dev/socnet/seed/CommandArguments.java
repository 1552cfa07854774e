package dev.socnet.seed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.boot.ApplicationArguments;

/**
 * Positional arguments and {@code --name value} / {@code --name=value} options of a one-shot command.
 *
 * <p>Read from {@link ApplicationArguments#getSourceArgs()} in typed order, because Spring's own
 * option parsing knows only {@code --name=value}: it would turn {@code --users 1000} into a valueless
 * option plus a stray {@code 1000}. Options with a dot ({@code --spring.profiles.active=dev},
 * {@code --logging.level.root=debug}) are Spring properties and are left to Spring.
 *
 * @param positional non-option arguments in order, the command name first
 * @param options option name (without {@code --}) to value
 */
record CommandArguments(List<String> positional, Map<String, String> options) {

    /**
     * @param args the application's arguments
     * @param knownOptions names of the options the command takes; each needs a value
     * @param usage synopsis for error messages
     * @throws CommandUsageException for an unknown option, an option without a value, or one given twice
     */
    static CommandArguments parse(ApplicationArguments args, Set<String> knownOptions, String usage) {
        return parse(args, knownOptions, Set.of(), usage);
    }

    /**
     * @param args the application's arguments
     * @param knownOptions names of the options the command takes
     * @param flags the subset of {@code knownOptions} that may stand alone: a bare {@code --name} means
     *        {@code --name yes}; {@code --name=value} still gives a value
     * @param usage synopsis for error messages
     * @throws CommandUsageException for an unknown option, an option without a value, or one given twice
     */
    static CommandArguments parse(ApplicationArguments args, Set<String> knownOptions, Set<String> flags,
            String usage) {
        String[] tokens = args.getSourceArgs();
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (!token.startsWith("--") || token.length() == 2) {
                positional.add(token);
                continue;
            }
            int equals = token.indexOf('=');
            String name = equals < 0 ? token.substring(2) : token.substring(2, equals);
            if (!knownOptions.contains(name)) {
                if (name.contains(".")) {
                    continue;
                }
                throw new CommandUsageException("unknown option --" + name, usage);
            }
            String value;
            if (equals >= 0) {
                value = token.substring(equals + 1);
            } else if (flags.contains(name)) {
                value = "yes";
            } else if (i + 1 < tokens.length && !tokens[i + 1].startsWith("--")) {
                value = tokens[++i];
            } else {
                throw new CommandUsageException("option --" + name + " needs a value", usage);
            }
            if (options.putIfAbsent(name, value) != null) {
                throw new CommandUsageException("option --" + name + " is given twice", usage);
            }
        }
        return new CommandArguments(List.copyOf(positional), Map.copyOf(options));
    }

    /** The value of {@code --name}, if given. */
    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }
}
