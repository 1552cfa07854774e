package dev.socnet.dialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The dialog id: the same from both sides, different per pair, stable across releases. */
class DialogIdTest {

    private static final UUID ANNA = UUID.fromString("0195d3a2-7c1e-7a51-9b2f-3c4d5e6f7a80");
    private static final UUID BORIS = UUID.fromString("0195d3a2-7c1f-7b62-8c30-4d5e6f7a8b91");

    @Test
    void bothParticipantsGetTheSameDialog() {
        assertThat(DialogId.between(ANNA, BORIS)).isEqualTo(DialogId.between(BORIS, ANNA));
    }

    @Test
    void isMurmur3OfTheOrderedPairAndStableAcrossReleases() {
        // Stored rows are placed by this value: a change would orphan every existing dialog. The
        // expected value was computed independently with Guava 33.5's Hashing.murmur3_128(0) over the
        // same 32 bytes (its two little-endian halves), then stamped version 8 / variant 10.
        assertThat(DialogId.between(ANNA, BORIS).value())
                .isEqualTo(UUID.fromString("dbc30c71-a204-8053-a415-18003d74708b"));
    }

    @Test
    void differentPairsGetDifferentDialogs() {
        Set<UUID> ids = new HashSet<>();
        UUID[] users = new UUID[300];
        for (int i = 0; i < users.length; i++) {
            users[i] = UUID.randomUUID();
        }
        for (int i = 0; i < users.length; i++) {
            for (int j = i; j < users.length; j++) {
                ids.add(DialogId.between(users[i], users[j]).value());
            }
        }
        assertThat(ids).hasSize(users.length * (users.length + 1) / 2);
    }

    @Test
    void aUserWritingToThemselfHasADialogOfTheirOwn() {
        assertThat(DialogId.between(ANNA, ANNA)).isNotEqualTo(DialogId.between(ANNA, BORIS))
                .isNotEqualTo(DialogId.between(BORIS, BORIS));
    }

    @Test
    void isAVersion8Uuid() {
        UUID id = DialogId.between(ANNA, BORIS).value();
        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void ordersThePairByteWiseLikeTheCanonicalText() {
        // UUID.compareTo compares signed longs and would put "8…" before "0…"; the text order would not.
        UUID low = UUID.fromString("00000000-0000-7000-8000-000000000000");
        UUID high = UUID.fromString("80000000-0000-7000-8000-000000000000");
        assertThat(high.compareTo(low)).isNegative();
        assertThat(DialogId.compareUnsigned(low, high)).isNegative();
        assertThat(low.toString()).isLessThan(high.toString());
        assertThat(DialogId.between(low, high)).isEqualTo(DialogId.between(high, low));
    }
}
