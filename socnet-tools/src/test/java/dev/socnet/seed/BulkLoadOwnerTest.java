package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import dev.socnet.SocnetApplication;

/**
 * The module boundaries with the tools on the classpath, and who writes which table.
 *
 * <p>Spring Modulith sees type dependencies only: the app's {@code ModularityTest} checks the feature
 * modules, and {@link #moduleBoundariesHoldWithTheTools} checks them again with this module
 * ({@code seed}) added, which may use nothing but the feed's API (its {@code allowedDependencies}).
 * SQL is invisible to it, so {@link #everyTableIsWrittenByItsOwnerOrTheBulkLoadOwner} reads the SQL
 * in the sources of every module (string literals and text blocks): each table is written only by
 * the module that owns it ({@link #OWNERS}), or by this module, the one documented bulk-load owner,
 * for the tables in {@link #BULK_LOADED} (docs/seed.md, {@code dev.socnet.seed} package docs).
 */
class BulkLoadOwnerTest {

    /**
     * Each table of the migrations → the module that owns (and alone writes) it. The outbox (Spring
     * Modulith's event publication registry) is the framework's; the feed's outbox relay keeps it.
     */
    static final Map<String, String> OWNERS = Map.of(
            "event_publication", "feed",
            "event_publication_dead_letter", "feed",
            "users", "user",
            "friends", "friend",
            "posts", "post",
            "celebrities", "feed",
            "feed_homes", "feed",
            "idempotency_keys", "idempotency",
            "seed_steps", "seed");

    /** The bulk-load owner, and the other modules' tables it writes directly (COPY, truncate). */
    static final String BULK_LOAD_OWNER = "seed";
    static final Set<String> BULK_LOADED = Set.of("users", "friends", "posts");

    private static final Path APP_SOURCES = Path.of("../socnet-app/src/main/java/dev/socnet");
    private static final Path TOOLS_SOURCES = Path.of("src/main/java/dev/socnet");
    private static final Path MIGRATIONS = Path.of("../socnet-app/src/main/resources/db/migration");

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern WRITE = Pattern.compile(
            "\\b(insert\\s+into|update|delete\\s+from|truncate(?:\\s+table)?|copy|alter\\s+table)\\s+(\\w+(?:\\s*,\\s*\\w+)*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile("create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?(\\w+)",
            Pattern.CASE_INSENSITIVE);

    @Test
    void moduleBoundariesHoldWithTheTools() {
        ApplicationModules modules = ApplicationModules.of(SocnetApplication.class);
        assertThat(modules.getModuleByName(BULK_LOAD_OWNER)).as("the tools' module is seen").isPresent();
        modules.verify();
    }

    @Test
    void everyTableHasAnOwner() {
        assertThat(OWNERS.keySet()).containsAll(migrationTables());
    }

    @Test
    void everyTableIsWrittenByItsOwnerOrTheBulkLoadOwner() {
        Set<String> writes = new TreeSet<>();
        scan(APP_SOURCES, writes);
        scan(TOOLS_SOURCES, writes);
        // the scanner sees what it must: a feature module's own write and the bulk load's COPY
        assertThat(writes).contains("feed writes celebrities", "seed writes friends", "seed writes seed_steps");

        Set<String> allowed = new TreeSet<>();
        OWNERS.forEach((table, owner) -> allowed.add(owner + " writes " + table));
        BULK_LOADED.forEach(table -> allowed.add(BULK_LOAD_OWNER + " writes " + table));
        assertThat(writes).as("writes into another module's tables (module writes table)").isSubsetOf(allowed);
    }

    /** Adds "MODULE writes TABLE" for each write statement in the string literals under {@code root}. */
    private static void scan(Path root, Set<String> writes) {
        Set<String> tables = migrationTables();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                Path relative = root.relativize(file);
                if (relative.getNameCount() < 2) {
                    return; // the root package (SocnetApplication) is no module
                }
                String module = relative.getName(0).toString();
                String source = read(file);
                StringBuilder literals = new StringBuilder();
                Matcher blocks = TEXT_BLOCK.matcher(source);
                while (blocks.find()) {
                    literals.append(blocks.group(1)).append('\n');
                }
                Matcher strings = STRING.matcher(TEXT_BLOCK.matcher(source).replaceAll(""));
                while (strings.find()) {
                    literals.append(strings.group(1)).append('\n');
                }
                Matcher write = WRITE.matcher(literals);
                while (write.find()) {
                    for (String table : write.group(2).split("\\s*,\\s*")) {
                        if (tables.contains(table.toLowerCase(Locale.ROOT))) {
                            writes.add(module + " writes " + table.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> migrationTables() {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            files.filter(file -> file.toString().endsWith(".sql")).forEach(file -> {
                Matcher create = CREATE_TABLE.matcher(read(file));
                while (create.find()) {
                    tables.add(create.group(1).toLowerCase(Locale.ROOT));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(tables).as("tables of the migrations").contains("users", "friends");
        return tables;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
