package dev.socnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void ordinaryTextIncludingEmojiAndControlCharactersOtherThanNulIsStorable() {
        assertThat(StorableText.problem("Привет, мир")).isEmpty();
        assertThat(StorableText.problem("😀 pairs of surrogates are fine")).isEmpty();
        assertThat(StorableText.problem("tab\tnewline\n\u0001")).isEmpty();
        assertThat(StorableText.problem("")).isEmpty();
        assertThat(StorableText.problem(null)).isEmpty();
    }

    @Test
    void nulAndUnpairedSurrogatesAreNamed() {
        assertThat(StorableText.problem("a\u0000b")).hasValueSatisfying(r -> assertThat(r).contains("U+0000"));
        assertThat(StorableText.problem("a\ud800")).hasValueSatisfying(r -> assertThat(r).contains("U+D800"));
        assertThat(StorableText.problem("\udc00a")).hasValueSatisfying(r -> assertThat(r).contains("U+DC00"));
        assertThat(StorableText.problem("\ud800\ud800\udc00")).isPresent();
    }
}
