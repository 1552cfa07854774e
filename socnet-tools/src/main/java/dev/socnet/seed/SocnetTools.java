package dev.socnet.seed;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

import dev.socnet.SocnetApplication;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar socnet-tools.jar COMMAND [OPTIONS]}: the operator's one-shot data commands, outside
 * the production jar (docs/seed.md):
 * <ul>
 *   <li>{@code seed --users N [--password P] [--seed S]} ({@link SeedCommand});</li>
 *   <li>{@code seed-graph [--seed S] [--replace]} ({@link SeedGraphCommand});</li>
 *   <li>{@code import FILE [--password P]} ({@link ImportCommand}).</li>
 * </ul>
 * The command line is parsed by picocli before anything touches the database. A command then starts
 * the application's context without a web server ({@link SocnetApplication}: its configuration from
 * the same {@code SOCNET_*} environment, its Flyway migrations, its modules), runs, prints its result
 * on stdout and exits 0. A usage error prints {@code "<command>: <reason>"} and the usage on stderr
 * and exits 2; a failed run prints {@code "<command>: <reason>"} on stderr and exits 1 (with nothing
 * loaded: every load is one transaction).
 *
 * <p>Options whose name contains a dot ({@code --spring.profiles.active=dev},
 * {@code --logging.level.root=debug}) are Spring properties: they are set aside before parsing and
 * handed to the application's context.
 */
@Command(name = "socnet-tools", description = "One-shot data commands against the database of SOCNET_DB_URL (docs/seed.md).",
        subcommands = {SeedCommand.class, SeedGraphCommand.class, ImportCommand.class})
public final class SocnetTools implements Runnable {

    /** Exit code of a failed run (a usage error exits with picocli's 2). */
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private final List<String> springArguments;

    SocnetTools(List<String> springArguments) {
        this.springArguments = List.copyOf(springArguments);
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(commandArguments(args)));
    }

    /** Without a command: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "which command? seed, seed-graph or import");
    }

    /**
     * The command line over {@code args}, with the error handlers described above; its output goes to
     * {@link System#out} and {@link System#err} unless the caller sets others.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine line = new CommandLine(new SocnetTools(springArguments(args)));
        line.setParameterExceptionHandler((problem, arguments) -> {
            CommandLine failed = problem.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println(failed.getCommandName() + ": " + problem.getMessage());
            failed.usage(err);
            err.flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        line.setExecutionExceptionHandler((problem, failed, parsed) -> {
            PrintWriter err = failed.getErr();
            err.println(failed.getCommandName() + ": " + reason(problem));
            err.flush();
            return FAILED;
        });
        return line;
    }

    /** The arguments picocli parses: all but the Spring properties. */
    static String[] commandArguments(String[] args) {
        return List.of(args).stream().filter(arg -> !isSpringProperty(arg)).toArray(String[]::new);
    }

    /** The Spring properties among {@code args}: {@code --name=value} (or bare {@code --name}) with a dot in the name. */
    static List<String> springArguments(String[] args) {
        List<String> spring = new ArrayList<>();
        for (String arg : args) {
            if (isSpringProperty(arg)) {
                spring.add(arg);
            }
        }
        return spring;
    }

    private static boolean isSpringProperty(String arg) {
        if (!arg.startsWith("--") || arg.length() == 2) {
            return false;
        }
        int equals = arg.indexOf('=');
        return (equals < 0 ? arg : arg.substring(0, equals)).contains(".");
    }

    /**
     * Starts the application's context without a web server, for one command: its log at WARN (the
     * command reports on stdout), and no warm-up of cached feeds (the command serves no reads).
     *
     * @throws IllegalStateException when the context does not start (database unreachable, bad
     *         configuration), naming the innermost cause
     */
    ConfigurableApplicationContext startApplication() {
        SpringApplication application = new SpringApplication(SocnetApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("logging.level.root", "WARN", "socnet.feed.warm-up.enabled", "false"));
        try {
            return application.run(springArguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the application did not start: "
                    + NestedExceptionUtils.getMostSpecificCause(e).getMessage(), e);
        }
    }

    private static String reason(Exception problem) {
        return problem.getMessage() != null ? problem.getMessage() : problem.getClass().getName();
    }
}
