package dev.socnet.seed;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;

import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Writes {@link NewUser}s as rows of PostgreSQL's COPY text format (tab-separated, {@code \N} for
 * null, backslash escapes) for the columns of {@link #COPY_SQL}. Gives every row a fresh UUIDv7
 * and the shared password hash, and remembers the smallest and largest id it handed out.
 *
 * <p>Not thread-safe: one producer writes one COPY stream.
 */
final class UsersCopy {

    /** The statement whose input this class produces. */
    static final String COPY_SQL = "COPY users (id, first_name, second_name, birthdate, biography, city, password_hash)"
            + " FROM STDIN (FORMAT text)";

    private static final String NULL = "\\N";

    private final Writer out;
    private final TimeBasedEpochGenerator ids;
    private final String passwordHash;
    private long rows;
    private UUID firstId;
    private UUID lastId;

    /**
     * @param out where the COPY text goes (buffer it: this class writes field by field)
     * @param ids UUIDv7 source; its ids increase within one process
     * @param passwordHash the BCrypt hash stored for every row; must contain no tab, newline or backslash
     */
    UsersCopy(Writer out, TimeBasedEpochGenerator ids, String passwordHash) {
        this.out = out;
        this.ids = ids;
        this.passwordHash = passwordHash;
    }

    /**
     * Appends one row.
     *
     * @return the id given to the user
     * @throws IOException when the COPY stream fails (for instance the server aborted it)
     */
    UUID add(NewUser user) throws IOException {
        UUID id = ids.generate();
        out.write(id.toString());
        out.write('\t');
        writeText(user.firstName());
        out.write('\t');
        writeText(user.secondName());
        out.write('\t');
        out.write(user.birthdate().toString());
        out.write('\t');
        writeText(user.biography());
        out.write('\t');
        writeText(user.city());
        out.write('\t');
        out.write(passwordHash);
        out.write('\n');
        rows++;
        if (firstId == null || comparePostgresOrder(id, firstId) < 0) {
            firstId = id;
        }
        if (lastId == null || comparePostgresOrder(id, lastId) > 0) {
            lastId = id;
        }
        return id;
    }

    /** Rows written so far. */
    long rows() {
        return rows;
    }

    /** Smallest id written so far (PostgreSQL uuid order), or {@code null} before the first row. */
    UUID firstId() {
        return firstId;
    }

    /** Largest id written so far (PostgreSQL uuid order), or {@code null} before the first row. */
    UUID lastId() {
        return lastId;
    }

    /** Pushes buffered text to the COPY stream. */
    void flush() throws IOException {
        out.flush();
    }

    private void writeText(String value) throws IOException {
        if (value == null) {
            out.write(NULL);
            return;
        }
        int plainFrom = 0;
        for (int i = 0; i < value.length(); i++) {
            String escape = switch (value.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                out.write(value, plainFrom, i - plainFrom);
                out.write(escape);
                plainFrom = i + 1;
            }
        }
        out.write(value, plainFrom, value.length() - plainFrom);
    }

    /** PostgreSQL compares uuids as unsigned bytes; {@link UUID#compareTo} compares signed longs. */
    private static int comparePostgresOrder(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
