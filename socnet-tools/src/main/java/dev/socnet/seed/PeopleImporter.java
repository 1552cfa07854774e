package dev.socnet.seed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.stereotype.Service;

/**
 * Imports a course people file ({@code people.v2.csv} or the older {@code people.csv}, see
 * {@link PeopleCsv} for the format) into {@code users}: each line becomes a user with a UUIDv7 id,
 * no biography and the shared password. The file is streamed into one {@code COPY} in one
 * transaction, so a malformed line anywhere leaves the table untouched.
 */
@Service
public class PeopleImporter {

    private final UsersTable users;

    PeopleImporter(UsersTable users) {
        this.users = users;
    }

    /**
     * Imports {@code file} with the default password {@value SharedPassword#DEFAULT_PLAIN}.
     *
     * @see #importFile(Path, String)
     */
    public LoadReport importFile(Path file) {
        return importFile(file, SharedPassword.DEFAULT_PLAIN);
    }

    /**
     * Imports every line of {@code file} in one transaction.
     *
     * @param file UTF-8 people file (BOM allowed)
     * @param password clear-text password of every imported user, 6 characters to 72 UTF-8 bytes
     * @return the committed load ({@code users} = lines imported)
     * @throws MalformedPeopleFileException at the first bad line, naming its number; nothing is imported
     * @throws UncheckedIOException when the file cannot be read; nothing is imported
     * @throws IllegalArgumentException when the password is unusable
     * @throws IllegalStateException when the database refuses the rows; nothing is imported
     */
    public LoadReport importFile(Path file, String password) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("no such file: " + file));
        }
        SharedPassword shared = SharedPassword.hash(password);
        PeopleCsv people = new PeopleCsv(users.today());
        String source = String.valueOf(file.getFileName());
        return users.load(shared, copy -> {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                people.read(in, source, copy::add);
            }
        });
    }
}
