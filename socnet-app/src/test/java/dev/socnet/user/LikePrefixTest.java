package dev.socnet.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LikePrefixTest {

    @Test
    void lowerCasesCyrillicAndLatin() {
        assertThat(UserService.likePrefix("ИвАн")).isEqualTo("иван%");
        assertThat(UserService.likePrefix("Ёж")).isEqualTo("ёж%");
        assertThat(UserService.likePrefix("  Ma ")).isEqualTo("ma%");
    }

    @Test
    void escapesLikeWildcards() {
        assertThat(UserService.likePrefix("a%b_c\\")).isEqualTo("a\\%b\\_c\\\\%");
    }
}
