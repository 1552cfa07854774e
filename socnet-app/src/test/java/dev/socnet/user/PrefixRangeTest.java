package dev.socnet.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrefixRangeTest {

    @Test
    void lowerCasesAndIncrementsTheLastCodePoint() {
        assertThat(PrefixRange.of("ИвА")).isEqualTo(new PrefixRange("ива", "ивб"));
        assertThat(PrefixRange.of("  Ma ")).isEqualTo(new PrefixRange("ma", "mb"));
        assertThat(PrefixRange.of("я")).isEqualTo(new PrefixRange("я", "ѐ"));
    }

    @Test
    void containsExactlyTheStringsWithThePrefix() {
        PrefixRange range = PrefixRange.of("пет");
        for (String name : new String[] {"пет", "петров", "петя", "пет\uFFFF"}) {
            assertThat(name.compareTo(range.from()) >= 0 && name.compareTo(range.to()) < 0).as(name).isTrue();
        }
        for (String name : new String[] {"пес", "пеу", "пе", "петр".substring(0, 2)}) {
            assertThat(name.compareTo(range.from()) >= 0 && name.compareTo(range.to()) < 0).as(name).isFalse();
        }
    }

    @Test
    void wildcardsAreOrdinaryCharacters() {
        assertThat(PrefixRange.of("a%_")).isEqualTo(new PrefixRange("a%_", "a%`"));
    }

    @Test
    void handlesSupplementaryCharacters() {
        assertThat(PrefixRange.of("a😀").to()).isEqualTo("a😁");
    }

    @Test
    void refusesBlank() {
        assertThatThrownBy(() -> PrefixRange.of("  ")).isInstanceOf(IllegalArgumentException.class);
    }
}
