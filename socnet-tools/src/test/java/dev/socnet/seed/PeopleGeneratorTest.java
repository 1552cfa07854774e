package dev.socnet.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Period;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PeopleGeneratorTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 2, 29);
    private static final int PEOPLE = 20_000;

    private static PeoplePools pools;

    @BeforeAll
    static void buildPools() {
        pools = PeoplePools.fromDatafaker(42);
    }

    private static List<NewUser> people(long seed) {
        PeopleGenerator generator = new PeopleGenerator(pools, seed, TODAY);
        return Stream.generate(generator::next).limit(PEOPLE).toList();
    }

    @Test
    void poolsComeFromTheRussianDictionaries() {
        assertThat(pools.maleSurnames()).hasSize(pools.femaleSurnames().size()).contains("Иванов", "Смирнов");
        assertThat(pools.femaleSurnames()).contains("Иванова");
        assertThat(pools.maleFirstNames()).contains("Иван");
        assertThat(pools.femaleFirstNames()).contains("Мария");
        assertThat(pools.cities()).contains("Москва");
        assertThat(pools.biographies()).hasSize(PeoplePools.BIOGRAPHY_POOL_SIZE)
                .allSatisfy(text -> assertThat(text).matches("[А-ЯЁ].*\\.").hasSizeLessThan(300));
    }

    @Test
    void sameSeedSamePeopleOtherSeedOtherPeople() {
        assertThat(people(7)).isEqualTo(people(7)).isNotEqualTo(people(8));
        assertThat(PeoplePools.fromDatafaker(42)).usingRecursiveComparison().isEqualTo(pools);
        assertThat(PeoplePools.fromDatafaker(43).biographies()).isNotEqualTo(pools.biographies());
    }

    @Test
    void namesAreCyrillicAndAgreeInGender() {
        Set<String> femaleFirst = new HashSet<>(pools.femaleFirstNames());
        Set<String> femaleSurnames = new HashSet<>(pools.femaleSurnames());
        Set<String> maleSurnames = new HashSet<>(pools.maleSurnames());
        List<NewUser> people = people(42);
        assertThat(people).allSatisfy(person -> {
            assertThat(person.firstName()).matches("\\p{IsCyrillic}+");
            assertThat(person.secondName()).matches("\\p{IsCyrillic}+");
            assertThat(person.city()).isNotBlank();
            boolean female = femaleFirst.contains(person.firstName());
            assertThat(female ? femaleSurnames : maleSurnames).contains(person.secondName());
        });
        long women = people.stream().filter(person -> femaleFirst.contains(person.firstName())).count();
        assertThat(women / (double) PEOPLE).isBetween(0.50, 0.58);
        assertThat(people.stream().map(NewUser::secondName).distinct().count()).isGreaterThan(450);
    }

    @Test
    void agesStayWithinBoundsAndSomeBiographiesAreEmpty() {
        List<NewUser> people = people(42);
        assertThat(people).allSatisfy(person -> assertThat(Period.between(person.birthdate(), TODAY).getYears())
                .isBetween(PeopleGenerator.MIN_AGE_YEARS, PeopleGenerator.MAX_AGE_YEARS));
        assertThat(people).extracting(NewUser::birthdate)
                .allMatch(birthdate -> !birthdate.isAfter(TODAY));
        long withoutBiography = people.stream().filter(person -> person.biography() == null).count();
        assertThat(withoutBiography / (double) PEOPLE).isBetween(0.15, 0.25);
    }
}
