package dev.socnet.loadtest.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command-line arguments of the report mains, each of the form {@code --name=value}.
 *
 * @param values argument name (without the leading dashes) to its value
 */
public record MainArguments(Map<String, String> values) {

    /**
     * Parses {@code --name=value} arguments.
     *
     * @param args the arguments of {@code main}
     * @return the parsed arguments
     * @throws IllegalArgumentException if an argument is not of the form {@code --name=value}
     */
    public static MainArguments parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 3) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            values.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return new MainArguments(Map.copyOf(values));
    }

    /**
     * @param name argument name without dashes
     * @return its value
     * @throws IllegalArgumentException if the argument is missing
     */
    public String require(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument --" + name + "=...");
        }
        return value;
    }

    /**
     * @param name argument name without dashes
     * @return its value as a path
     * @throws IllegalArgumentException if the argument is missing
     */
    public Path requirePath(String name) {
        return Path.of(require(name));
    }

    /**
     * @param name argument name without dashes
     * @param defaultValue returned when the argument is missing
     * @return its value as an int, or {@code defaultValue}
     * @throws NumberFormatException if the value is not an integer
     */
    public int intOr(String name, int defaultValue) {
        String value = values.get(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.strip());
    }

    /**
     * @param name argument name without dashes
     * @param defaultValue returned when the argument is missing
     * @return its value, or {@code defaultValue}
     */
    public String stringOr(String name, String defaultValue) {
        String value = values.get(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
