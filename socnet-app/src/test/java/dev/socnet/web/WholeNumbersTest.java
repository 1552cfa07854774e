package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WholeNumbersTest {

    private final WholeNumbers numbers = new WholeNumbers();

    @Test
    void everyJsonSpellingOfAWholeNumberIsAccepted() {
        assertThat(numbers.convert("10")).isEqualTo(10);
        assertThat(numbers.convert("10.0")).isEqualTo(10);
        assertThat(numbers.convert("1e1")).isEqualTo(10);
        assertThat(numbers.convert("1E+1")).isEqualTo(10);
        assertThat(numbers.convert("100e-1")).isEqualTo(10);
        assertThat(numbers.convert("0.000")).isZero();
        assertThat(numbers.convert("-0.0")).isZero();
        assertThat(numbers.convert("-3")).isEqualTo(-3);
        assertThat(numbers.convert("2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(numbers.convert(" ")).isNull();
    }

    @Test
    void fractionsOutOfRangeValuesAndNonNumbersAreRefusedWithAReason() {
        assertThatThrownBy(() -> numbers.convert("1.5")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> numbers.convert("1e-1")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> numbers.convert("2147483648")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> numbers.convert("1e1000000000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> numbers.convert("ten")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> numbers.convert("0x10")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> numbers.convert("1".repeat(65))).hasMessageContaining("at most 64");
    }
}
