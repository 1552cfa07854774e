package dev.socnet.seed;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import net.datafaker.Faker;

/**
 * Everything a generated person is drawn from, read once from the ru-locale Datafaker dictionaries:
 * the 250 most common Russian surnames in male and female form (ordered by frequency, so they are
 * picked with {@link RankedChoice} weights), male and female first names, city names, and a pool of
 * composed {@link Biographies}. Building the pools takes about a second; drawing from them is cheap.
 *
 * @param maleSurnames surnames, most common first, e.g. {@code Смирнов}
 * @param femaleSurnames the same surnames in female form at the same index, e.g. {@code Смирнова}
 * @param surnameChoice weights for an index into the surname lists
 * @param maleFirstNames male first names
 * @param femaleFirstNames female first names
 * @param cities city names
 * @param biographies composed profile texts
 */
record PeoplePools(
        List<String> maleSurnames,
        List<String> femaleSurnames,
        RankedChoice surnameChoice,
        List<String> maleFirstNames,
        List<String> femaleFirstNames,
        List<String> cities,
        List<String> biographies) {

    /** Locale of every dictionary used. */
    static final Locale RUSSIAN = Locale.forLanguageTag("ru");

    /** Distinct biographies composed; rows reuse them. */
    static final int BIOGRAPHY_POOL_SIZE = 4096;

    /**
     * Zipf–Mandelbrot offset for surnames: gives the most common one (Смирнов) 2.8% and the 250th
     * 0.12% of the people, a long-tailed shape like that of real surnames.
     */
    static final double SURNAME_RANK_OFFSET = 10;

    /**
     * @param seed seeds Datafaker's random source, so the same seed composes the same biographies
     * @throws IllegalStateException when a dictionary is missing or the surname lists do not pair up
     */
    static PeoplePools fromDatafaker(long seed) {
        Faker faker = new Faker(RUSSIAN, new Random(seed));
        List<String> maleSurnames = dictionary(faker, "name.male_last_name");
        List<String> femaleSurnames = dictionary(faker, "name.female_last_name");
        if (maleSurnames.size() != femaleSurnames.size()) {
            throw new IllegalStateException("Datafaker ru has " + maleSurnames.size() + " male and "
                    + femaleSurnames.size() + " female surnames; expected pairs");
        }
        return new PeoplePools(
                maleSurnames,
                femaleSurnames,
                new RankedChoice(maleSurnames.size(), SURNAME_RANK_OFFSET),
                dictionary(faker, "name.male_first_name"),
                dictionary(faker, "name.female_first_name"),
                dictionary(faker, "address.city_name"),
                List.copyOf(Biographies.compose(faker, BIOGRAPHY_POOL_SIZE)));
    }

    private static List<String> dictionary(Faker faker, String key) {
        Object values = faker.fakeValuesService().fetchObject(key, faker.getContext());
        if (!(values instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalStateException("Datafaker ru has no list under " + key);
        }
        return list.stream().map(String::valueOf).toList();
    }
}
