package dev.socnet.seed;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Texts of seeded posts: one to three short Russian sentences from fixed pools (30 to 250
 * characters), e.g. {@code "Сегодня был в театре. Кто со мной в выходные?"}. Cheap to produce by the
 * million; the variety only has to look like a feed, not to be unique.
 */
final class PostTexts {

    private static final List<String> OPENINGS = List.of(
            "Сегодня был в театре.", "Наконец-то выходные!", "Прочитал отличную книгу.", "Утром пробежал десять километров.",
            "Испекла пирог по бабушкиному рецепту.", "Пересматриваю старые фотографии.", "В городе первый снег.",
            "Закончил большой проект на работе.", "Вернулись из поездки на Байкал.", "Завёл собаку.",
            "Смотрим сериал всей семьёй.", "Сдал экзамен на права.", "Купила новый велосипед.",
            "Весь день шёл дождь.", "Отметили день рождения сына.", "Начал учить китайский.");
    private static final List<String> MIDDLES = List.of(
            "Впечатления лучше, чем ожидал.", "Это было непросто, но оно того стоило.", "Фотографии выложу позже.",
            "Спасибо всем, кто поддерживал.", "Погода не подвела.", "Честно, не думал, что так получится.",
            "Давно хотел этим заняться.", "Рекомендую всем друзьям.", "Цены, конечно, кусаются.",
            "Встретил там старого знакомого.", "Дети в восторге.", "Будем повторять.");
    private static final List<String> CLOSINGS = List.of(
            "Кто со мной в выходные?", "А как ваши дела?", "Посоветуйте, что почитать дальше.",
            "Всем хорошего вечера!", "Пишите в комментариях.", "До встречи!", "Что скажете?",
            "Жду весну.", "Всем добра.", "Ставьте лайки.");

    private PostTexts() {
    }

    /** A post text of 1–3 sentences. */
    static String next(RandomGenerator random) {
        StringBuilder text = new StringBuilder(any(OPENINGS, random));
        int more = random.nextInt(3);
        if (more >= 1) {
            text.append(' ').append(any(MIDDLES, random));
        }
        if (more >= 2) {
            text.append(' ').append(any(CLOSINGS, random));
        }
        return text.toString();
    }

    private static String any(List<String> values, RandomGenerator random) {
        return values.get(random.nextInt(values.size()));
    }
}
