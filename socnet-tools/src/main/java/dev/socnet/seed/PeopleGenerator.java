package dev.socnet.seed;

import java.time.LocalDate;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * An endless, reproducible stream of Russian profiles drawn from {@link PeoplePools}: the surname
 * agrees with the gender (Иванов Иван, Иванова Мария), ages are uniform in
 * {@value #MIN_AGE_YEARS}..{@value #MAX_AGE_YEARS} full years on {@code today}, and some people
 * have no biography. The same pools, seed and {@code today} give the same people.
 */
final class PeopleGenerator {

    /** Youngest generated age, in full years. */
    static final int MIN_AGE_YEARS = 14;

    /** Oldest generated age, in full years. */
    static final int MAX_AGE_YEARS = 90;

    /** Share of women (Rosstat: about 54% of Russia's population). */
    static final double FEMALE_SHARE = 0.54;

    /** Share of people who left their biography empty. */
    static final double NO_BIOGRAPHY_SHARE = 0.2;

    /** Random algorithm: fast, splittable-quality, and fixed by name so seeds mean the same on every JDK. */
    static final String RANDOM_ALGORITHM = "L64X128MixRandom";

    private final PeoplePools pools;
    private final RandomGenerator random;
    private final long oldestBirthEpochDay;
    private final long birthdateSpanDays;

    /**
     * @param pools what people are made of
     * @param seed random seed
     * @param today the day ages are counted on; no birthdate is after it
     */
    PeopleGenerator(PeoplePools pools, long seed, LocalDate today) {
        this.pools = pools;
        this.random = RandomGeneratorFactory.of(RANDOM_ALGORITHM).create(seed);
        LocalDate oldest = today.minusYears(MAX_AGE_YEARS + 1).plusDays(1);
        LocalDate youngest = today.minusYears(MIN_AGE_YEARS);
        this.oldestBirthEpochDay = oldest.toEpochDay();
        this.birthdateSpanDays = youngest.toEpochDay() - oldest.toEpochDay() + 1;
    }

    /** The next person. */
    NewUser next() {
        boolean female = random.nextDouble() < FEMALE_SHARE;
        int surname = pools.surnameChoice().pick(random);
        String secondName = (female ? pools.femaleSurnames() : pools.maleSurnames()).get(surname);
        String firstName = any(female ? pools.femaleFirstNames() : pools.maleFirstNames());
        LocalDate birthdate = LocalDate.ofEpochDay(oldestBirthEpochDay + random.nextLong(birthdateSpanDays));
        String biography = random.nextDouble() < NO_BIOGRAPHY_SHARE ? null : any(pools.biographies());
        return new NewUser(firstName, secondName, birthdate, biography, any(pools.cities()));
    }

    private String any(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
