package dev.socnet.web.support;

import tools.jackson.databind.PropertyNamingStrategies;

/** Field names as clients see them: both services' JSON is snake_case ({@code first_name}). */
public final class JsonNames {

    private JsonNames() {
    }

    /** {@code "firstName"} → {@code "first_name"}, with the same strategy the JSON mappers use. */
    public static String snakeCase(String javaName) {
        return PropertyNamingStrategies.SNAKE_CASE.nameForField(null, null, javaName);
    }
}
