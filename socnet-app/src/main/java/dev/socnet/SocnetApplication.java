package dev.socnet;

import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The socnet application. Without arguments it serves the HTTP API; with a command as the first
 * argument it runs that command against the configured database and exits:
 * <ul>
 *   <li>{@code seed --users N} — generate N users (see {@code dev.socnet.seed});</li>
 *   <li>{@code import FILE} — import a {@code people.v2.csv}/{@code people.csv} file;</li>
 *   <li>{@code seed-graph} — grow a follow graph and posts over the loaded users (docs/feed.md).</li>
 * </ul>
 * A command exits 0 on success and non-zero on failure; it never starts the web server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SocnetApplication {

    /** First arguments that select a one-shot command instead of the web server. */
    public static final Set<String> COMMANDS = Set.of("seed", "import", "seed-graph");

    /** Property that carries the selected command to the command's runner bean. */
    public static final String COMMAND_PROPERTY = "socnet.cli.command";

    public static void main(String[] args) {
        var app = new SpringApplication(SocnetApplication.class);
        if (args.length > 0 && COMMANDS.contains(args[0])) {
            app.setWebApplicationType(WebApplicationType.NONE);
            // Commands report on stdout; the framework's INFO chatter would drown it.
            app.setDefaultProperties(Map.of(COMMAND_PROPERTY, args[0], "logging.level.root", "WARN"));
            System.exit(SpringApplication.exit(app.run(args)));
        }
        app.run(args);
    }
}
