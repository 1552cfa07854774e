package dev.socnet.web;

import dev.socnet.web.support.ApiException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void acceptsCanonicalUuids() {
        UUID id = UUID.randomUUID();
        assertThat(Ids.parse("id", id.toString())).isEqualTo(id);
        assertThat(Ids.parse("id", id.toString().toUpperCase())).isEqualTo(id);
    }

    @Test
    void refusesEverythingElseNamingTheField() {
        for (String bad : new String[] {"", "1-1-1-1-1", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "42", null}) {
            assertThatThrownBy(() -> Ids.parse("user_id", bad))
                    .isInstanceOf(ApiException.class)
                    .hasMessageStartingWith("user_id: must be a UUID");
        }
    }
}
