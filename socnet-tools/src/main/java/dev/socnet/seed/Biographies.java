package dev.socnet.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import net.datafaker.Faker;

/**
 * Short Russian profile texts composed from the ru-locale Datafaker dictionaries (cities, regions,
 * countries, companies, colours, shop departments, weather), e.g.
 * {@code "Работаю в «ООО Смирнов». Любимая погода — переменная облачность."}. Every sentence
 * keeps the dictionary word in the nominative case, so no Russian inflection is needed.
 */
final class Biographies {

    /** Sentences per biography: between 1 and this many. */
    static final int MAX_SENTENCES = 3;

    private static final Locale RU = Locale.forLanguageTag("ru");

    private static final List<Function<Faker, String>> SENTENCES = List.of(
            faker -> "Родной город — " + faker.address().cityName() + ".",
            faker -> "Малая родина — " + faker.address().state() + ".",
            faker -> "Работаю в «" + faker.company().name() + "».",
            faker -> "Люблю " + faker.color().name() + " цвет.",
            faker -> "Интересы: " + faker.commerce().department().replace(" & ", " и ").toLowerCase(RU) + ".",
            faker -> "Любимая погода — " + faker.weather().description().toLowerCase(RU) + ".",
            faker -> "Следующее путешествие — " + faker.address().country() + ".");

    private Biographies() {
    }

    /**
     * @param faker a ru-locale faker; its random source decides the texts
     * @param count how many biographies to compose
     * @return {@code count} texts of 1..{@value #MAX_SENTENCES} distinct sentences (about 15..160 characters)
     */
    static List<String> compose(Faker faker, int count) {
        List<String> biographies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int sentences = 1 + faker.random().nextInt(MAX_SENTENCES);
            List<Integer> templates = new ArrayList<>();
            while (templates.size() < sentences) {
                int template = faker.random().nextInt(SENTENCES.size());
                if (!templates.contains(template)) {
                    templates.add(template);
                }
            }
            StringBuilder text = new StringBuilder();
            for (int template : templates) {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append(SENTENCES.get(template).apply(faker));
            }
            biographies.add(text.toString());
        }
        return biographies;
    }
}
