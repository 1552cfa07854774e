package dev.socnet.seed;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the course's people files, one person per line, no header, LF or CRLF line ends, UTF-8
 * with or without a byte-order mark:
 * <ul>
 *   <li>{@code people.v2.csv}: {@code Иванов Иван,1990-05-17,Москва} — "Surname FirstName",
 *       birthdate {@code yyyy-MM-dd}, city;</li>
 *   <li>{@code people.csv}: {@code Абрамов Арсений,26,Москва} — an age in full years instead of the
 *       birthdate; the birthdate becomes {@code today} minus that many years (so the person is
 *       exactly that old today).</li>
 * </ul>
 * The second field decides the format of each line separately. Fields are trimmed and may be quoted
 * (RFC 4180, parsed by Commons CSV); blank lines are skipped. Limits match {@code POST /user/register}:
 * names and city at most {@value #MAX_TEXT_CHARS} characters, birthdate from {@link #MIN_BIRTHDATE}
 * to today. Anything else stops the read with a {@link MalformedPeopleFileException}.
 */
final class PeopleCsv {

    /** Fields per line: name, birthdate or age, city. */
    static final int FIELD_COUNT = 3;

    /** Longest accepted first name, surname or city, in characters. */
    static final int MAX_TEXT_CHARS = 100;

    /** Earliest accepted birthdate, explicit or derived from an age. */
    static final LocalDate MIN_BIRTHDATE = LocalDate.of(1900, 1, 1);

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern INTEGER_SHAPE = Pattern.compile("[+-]?\\d+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setTrim(true)
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true)
            .get();

    /** Receives each person as soon as its line is read. */
    @FunctionalInterface
    interface PersonSink {
        void accept(NewUser person) throws IOException;
    }

    private final LocalDate today;

    /** @param today the day ages are counted back from and birthdates must not be after */
    PeopleCsv(LocalDate today) {
        this.today = today;
    }

    /**
     * Reads every line of {@code in} and hands each person to {@code sink}, in file order.
     *
     * @param in the file's text (decoded as UTF-8 by the caller); a leading byte-order mark is skipped
     * @param source file name for error messages
     * @return number of people read
     * @throws MalformedPeopleFileException at the first line that is not a valid person; people before
     *         it have already gone to {@code sink}
     * @throws IOException when reading {@code in} or the sink fails, or the text is not valid UTF-8
     */
    long read(Reader in, String source, PersonSink sink) throws IOException {
        Reader text = withoutByteOrderMark(in, source);
        try (CSVParser parser = CSVParser.builder().setReader(text).setFormat(FORMAT).get()) {
            Iterator<CSVRecord> records = parser.iterator();
            long people = 0;
            while (hasNext(records, parser, source)) {
                CSVRecord record = records.next();
                long line = parser.getCurrentLineNumber();
                try {
                    sink.accept(person(record));
                } catch (LineProblem problem) {
                    throw new MalformedPeopleFileException(source, line, problem.getMessage());
                }
                people++;
            }
            return people;
        }
    }

    private static boolean hasNext(Iterator<CSVRecord> records, CSVParser parser, String source) throws IOException {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException syntax) {
                throw new MalformedPeopleFileException(source, parser.getCurrentLineNumber(),
                        "not valid CSV: " + syntax.getMessage());
            }
            if (e.getCause() instanceof CharacterCodingException encoding) {
                throw new IOException(source + " is not UTF-8 text: an invalid byte at or after line "
                        + (parser.getCurrentLineNumber() + 1), encoding);
            }
            throw e.getCause();
        }
    }

    private static Reader withoutByteOrderMark(Reader in, String source) throws IOException {
        PushbackReader reader = new PushbackReader(in, 1);
        int first;
        try {
            first = reader.read();
        } catch (CharacterCodingException e) {
            throw new IOException(source + " is not UTF-8 text: an invalid byte at or after line 1", e);
        }
        if (first != -1 && first != BYTE_ORDER_MARK) {
            reader.unread(first);
        }
        return reader;
    }

    private NewUser person(CSVRecord record) {
        if (record.size() != FIELD_COUNT) {
            throw new LineProblem("expected " + FIELD_COUNT
                    + " fields 'Surname FirstName,birthdate or age,city', got " + record.size());
        }
        String[] names = WHITESPACE.split(record.get(0));
        if (names.length != 2 || names[0].isEmpty()) {
            throw new LineProblem("expected 'Surname FirstName' in the first field, got '" + record.get(0) + "'");
        }
        String secondName = text("surname", names[0]);
        String firstName = text("first name", names[1]);
        LocalDate birthdate = birthdate(record.get(1));
        String city = text("city", record.get(2));
        return new NewUser(firstName, secondName, birthdate, null, city);
    }

    private static String text(String what, String value) {
        if (value.isBlank()) {
            throw new LineProblem(what + " is blank");
        }
        if (value.length() > MAX_TEXT_CHARS) {
            throw new LineProblem(what + " is longer than " + MAX_TEXT_CHARS + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new LineProblem(what + " contains a control character");
        }
        return value;
    }

    private LocalDate birthdate(String field) {
        LocalDate birthdate;
        if (DATE_SHAPE.matcher(field).matches()) {
            try {
                birthdate = LocalDate.parse(field);
            } catch (DateTimeException e) {
                throw new LineProblem("bad birthdate '" + field + "' (expected a real date yyyy-MM-dd)");
            }
            if (birthdate.isAfter(today)) {
                throw new LineProblem("birthdate " + field + " is in the future");
            }
        } else if (INTEGER_SHAPE.matcher(field).matches()) {
            birthdate = today.minusYears(age(field));
            if (birthdate.isBefore(MIN_BIRTHDATE)) {
                throw new LineProblem("bad age '" + field + "' (born before " + MIN_BIRTHDATE + ")");
            }
        } else {
            throw new LineProblem("second field '" + field
                    + "' is neither a birthdate yyyy-MM-dd nor an age in years");
        }
        if (birthdate.isBefore(MIN_BIRTHDATE)) {
            throw new LineProblem("birthdate " + birthdate + " is before " + MIN_BIRTHDATE);
        }
        return birthdate;
    }

    private static int age(String field) {
        int age;
        try {
            age = Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new LineProblem("bad age '" + field + "' (too large)");
        }
        if (age < 0) {
            throw new LineProblem("bad age '" + field + "' (negative)");
        }
        return age;
    }

    /** What is wrong with one line; {@link #read} adds the file name and line number. */
    private static final class LineProblem extends RuntimeException {
        LineProblem(String reason) {
            super(reason, null, false, false);
        }
    }
}
