package dev.socnet.dialogs;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The id of the dialog between two users, derived from their ids so that either side finds the
 * dialog (and its shard) without a lookup: MurmurHash3 x64 128-bit (Apache Commons Codec
 * {@link MurmurHash3#hash128x64(byte[], int, int, int)}, seed 0) of the 32 bytes
 * {@code smaller id || larger id}, in the byte order of the canonical UUID text (which is also
 * PostgreSQL's uuid order). The hash is stamped as an RFC 9562 version 8 ("custom") UUID: 122 of its
 * 128 bits remain. A user may write to themself: the pair is then {@code (id, id)}.
 *
 * <p>Citus distributes {@code dialog_messages} by this id (hash of it → shard); the hash spreads the
 * dialogs of one very active user (who writes to thousands) over all shards. Changing this function
 * would orphan every stored dialog.
 *
 * @param value the dialog id
 */
public record DialogId(UUID value) {

    private static final int SEED = 0;

    /** The dialog of {@code user} and {@code peer}; {@code between(a, b).equals(between(b, a))}. */
    public static DialogId between(UUID user, UUID peer) {
        UUID first = compareUnsigned(user, peer) <= 0 ? user : peer;
        UUID second = first == user ? peer : user;
        byte[] pair = ByteBuffer.allocate(32)
                .putLong(first.getMostSignificantBits()).putLong(first.getLeastSignificantBits())
                .putLong(second.getMostSignificantBits()).putLong(second.getLeastSignificantBits())
                .array();
        long[] hash = MurmurHash3.hash128x64(pair, 0, pair.length, SEED);
        long msb = (hash[0] & ~0xF000L) | 0x8000L;                            // version 8
        long lsb = (hash[1] & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // variant 10
        return new DialogId(new UUID(msb, lsb));
    }

    /** Byte-wise order of the 16 bytes (not {@link UUID#compareTo}, which compares signed longs). */
    static int compareUnsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
