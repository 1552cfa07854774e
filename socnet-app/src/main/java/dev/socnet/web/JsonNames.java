package dev.socnet.web;

import tools.jackson.databind.PropertyNamingStrategies;

/** Field names as clients see them: the API's JSON is snake_case ({@code first_name}). */
public final class JsonNames {

    private JsonNames() {
    }

    /** {@code "firstName"} → {@code "first_name"}, with the same strategy the JSON mapper uses. */
    public static String snakeCase(String javaName) {
        return PropertyNamingStrategies.SNAKE_CASE.nameForField(null, null, javaName);
    }
}
