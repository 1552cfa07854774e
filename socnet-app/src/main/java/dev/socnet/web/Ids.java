package dev.socnet.web;

import dev.socnet.web.support.ApiException;
import java.util.UUID;
import java.util.regex.Pattern;

/** Strict parsing of ids in paths and bodies. */
public final class Ids {

    /** The canonical 8-4-4-4-12 hex form; {@link UUID#fromString} alone also accepts "1-1-1-1-1". */
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    /**
     * @param field the field or parameter name to blame
     * @throws ApiException 400 when {@code value} is not a canonical UUID
     */
    public static UUID parse(String field, String value) {
        if (value == null || !CANONICAL_UUID.matcher(value).matches()) {
            throw ApiException.badRequest(field, "must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }
        return UUID.fromString(value);
    }
}
