package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeopleCsvTest {

    private static final LocalDate TODAY = LocalDate.of(2025, 6, 15);

    private final PeopleCsv csv = new PeopleCsv(TODAY);

    private List<NewUser> read(String text) throws IOException {
        List<NewUser> people = new ArrayList<>();
        long count = csv.read(new StringReader(text), "people.csv", people::add);
        assertThat(count).isEqualTo(people.size());
        return people;
    }

    @Test
    void readsV2LineWithBirthdate() throws IOException {
        assertThat(read("Иванов Иван,1990-05-17,Москва\n"))
                .containsExactly(new NewUser("Иван", "Иванов", LocalDate.of(1990, 5, 17), null, "Москва"));
    }

    @Test
    void readsV1LineWithAgeAsTodayMinusYears() throws IOException {
        assertThat(read("Абрамов Арсений,26,Москва"))
                .containsExactly(new NewUser("Арсений", "Абрамов", LocalDate.of(1999, 6, 15), null, "Москва"));
    }

    @Test
    void mixesFormatsLineByLineWithCrlfAndBom() throws IOException {
        List<NewUser> people = read("\uFEFFИванов Иван,1990-05-17,Москва\r\nПетрова Мария,0,Казань\r\n"
                + "Сидорова Анна,2025-06-15,Санкт-Петербург\r\n");
        assertThat(people).extracting(NewUser::secondName).containsExactly("Иванов", "Петрова", "Сидорова");
        assertThat(people.getFirst().secondName()).doesNotStartWith("\uFEFF");
        assertThat(people).extracting(NewUser::birthdate)
                .containsExactly(LocalDate.of(1990, 5, 17), TODAY, TODAY);
        assertThat(people).extracting(NewUser::city).containsExactly("Москва", "Казань", "Санкт-Петербург");
    }

    @Test
    void trimsFieldsAcceptsQuotesAndSkipsBlankLines() throws IOException {
        List<NewUser> people = read("\n  Иванов   Иван , 1990-05-17 , \"Ростов-на-Дону, центр\"\n\n");
        assertThat(people).containsExactly(
                new NewUser("Иван", "Иванов", LocalDate.of(1990, 5, 17), null, "Ростов-на-Дону, центр"));
    }

    @Test
    void emptyFileHasNobody() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read("\uFEFF")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            wrong field count    | Петров Пётр,1990-01-01                  | expected 3 fields
            too many fields      | Петров Пётр,1990-01-01,Тула,лишнее       | expected 3 fields
            missing first name   | Петров,1990-01-01,Тула                  | expected 'Surname FirstName'
            patronymic           | Петров Пётр Петрович,1990-01-01,Тула    | expected 'Surname FirstName'
            blank name           | ' ',1990-01-01,Тула                      | expected 'Surname FirstName'
            impossible date      | Петров Пётр,1990-02-30,Тула             | bad birthdate '1990-02-30'
            future date          | Петров Пётр,2025-06-16,Тула             | birthdate 2025-06-16 is in the future
            too old date         | Петров Пётр,1899-12-31,Тула             | before 1900-01-01
            negative age         | Петров Пётр,-3,Тула                     | bad age '-3'
            huge age             | Петров Пётр,99999999999,Тула            | bad age '99999999999'
            age before 1900      | Петров Пётр,130,Тула                    | bad age '130'
            neither date nor age | Петров Пётр,17.05.1990,Тула             | neither a birthdate yyyy-MM-dd nor an age
            blank city           | Петров Пётр,1990-01-01,' '              | city is blank
            long city            | Петров Пётр,1990-01-01,ГородГородГородГородГородГородГородГородГородГородГородГородГородГородГородГородГородГородГородГородГород | city is longer than 100 characters
            """)
    void malformedLineIsReportedWithItsNumber(String problem, String badLine, String reason) {
        String text = "Иванов Иван,1990-05-17,Москва\r\nПетрова Мария,26,Казань\r\n" + badLine.replace('\'', '"')
                + "\r\nСидоров Олег,1980-01-01,Тула\r\n";
        List<NewUser> before = new ArrayList<>();
        assertThatThrownBy(() -> csv.read(new StringReader(text), "people.csv", before::add))
                .isInstanceOfSatisfying(MalformedPeopleFileException.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(3);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e).hasMessageStartingWith("people.csv line 3: ");
                });
        assertThat(before).hasSize(2);
    }

    @Test
    void lineNumbersCountBlankLinesAndBom() {
        String text = "\uFEFFИванов Иван,1990-05-17,Москва\n\n\nПетров,1990-01-01,Тула\n";
        assertThatThrownBy(() -> read(text))
                .isInstanceOf(MalformedPeopleFileException.class)
                .hasMessageStartingWith("people.csv line 4: ");
    }

    @Test
    void lastLineWithoutNewlineKeepsItsNumber() {
        assertThatThrownBy(() -> read("Иванов Иван,1990-05-17,Москва\nПетров,1990-01-01,Тула"))
                .isInstanceOf(MalformedPeopleFileException.class)
                .hasMessageStartingWith("people.csv line 2: ");
    }

    @Test
    void brokenQuotingIsMalformedCsv() {
        assertThatThrownBy(() -> read("Иванов Иван,1990-05-17,Москва\nПетров Пётр,1990-01-01,\"Тула\n"))
                .isInstanceOf(MalformedPeopleFileException.class)
                .hasMessageContaining("not valid CSV");
    }

    @Test
    void invalidUtf8IsAnIoErrorNamingTheFile() {
        byte[] good = "Иванов Иван,1990-05-17,Москва\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = (byte) 0xFF;
        var strictUtf8 = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8.newDecoder());
        assertThatThrownBy(() -> csv.read(strictUtf8, "people.csv", person -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("people.csv is not UTF-8 text");
    }

    @Test
    void controlCharacterIsRefused() {
        assertThatThrownBy(() -> read("Иванов Иван,1990-05-17,Мос\u0000ква\n"))
                .isInstanceOf(MalformedPeopleFileException.class)
                .hasMessage("people.csv line 1: city contains a control character");
    }
}
