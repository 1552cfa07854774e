package dev.socnet.seed;

/**
 * A people file has a line that cannot become a user; the import it stopped inserted nothing.
 * The message reads {@code "people.v2.csv line 3: bad birthdate '1990-02-30' (expected yyyy-MM-dd)"}.
 */
public class MalformedPeopleFileException extends RuntimeException {

    private final long lineNumber;
    private final String reason;

    /**
     * @param source file name shown in the message
     * @param lineNumber 1-based line of the offending record (for a record with quoted line breaks,
     *        the line it ends on)
     * @param reason what is wrong, in words
     */
    MalformedPeopleFileException(String source, long lineNumber, String reason) {
        super(source + " line " + lineNumber + ": " + reason);
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** 1-based line number of the offending record. */
    public long lineNumber() {
        return lineNumber;
    }

    /** What is wrong with the line, without the file name and line number. */
    public String reason() {
        return reason;
    }
}
