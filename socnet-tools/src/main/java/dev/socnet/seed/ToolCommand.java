package dev.socnet.seed;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What the three commands share (one runner instead of three): check the arguments beyond what
 * picocli parses, start the application's context, run, print the result, close the context.
 */
abstract class ToolCommand implements Callable<Integer> {

    @ParentCommand
    SocnetTools tools;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    /**
     * Checks what the option types do not (ranges, files); runs before anything touches the database.
     *
     * @throws ParameterException naming the option and the reason
     */
    void validate() {
    }

    /**
     * Runs the command with the application's beans.
     *
     * @param out the command's stdout
     * @throws RuntimeException when the run fails; its message is printed as the reason
     */
    abstract void run(ApplicationContext context, PrintWriter out);

    @Override
    public final Integer call() {
        validate();
        try (ConfigurableApplicationContext context = tools.startApplication()) {
            PrintWriter out = spec.commandLine().getOut();
            run(context, out);
            out.flush();
        }
        return 0;
    }

    /** A usage error of {@code option}. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
