package dev.socnet.seed;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Parses and runs {@link SocnetTools} command lines in tests, as {@code main} would. */
final class CommandLines {

    private CommandLines() {
    }

    /** Parses {@code args} and checks them as a command does before it starts: the selected command. */
    static <T extends ToolCommand> T parse(Class<T> type, String... args) {
        CommandLine line = SocnetTools.commandLine(args);
        CommandLine.ParseResult parsed = line.parseArgs(SocnetTools.commandArguments(args));
        ToolCommand command = (ToolCommand) parsed.subcommand().commandSpec().userObject();
        command.validate();
        return type.cast(command);
    }

    /** What {@code main} would print and return for {@code args}. */
    record Run(int exitCode, String out, String err) {
    }

    static Run execute(String... args) {
        CommandLine line = SocnetTools.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int exit = line.execute(SocnetTools.commandArguments(args));
        return new Run(exit, out.toString(), err.toString());
    }
}
