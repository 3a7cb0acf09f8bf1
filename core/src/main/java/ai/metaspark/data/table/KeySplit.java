package ai.metaspark.data.table;

import ai.metaspark.task.Seeds;
import ai.metaspark.task.Split;

import java.nio.charset.StandardCharsets;

/**
 * Which split a table's key belongs to: a seeded hash of the key's UTF-8 bytes, turned into a number u in [0, 1); u
 * below the training fraction is training, below training + validation is validation, else test. It depends on the
 * key text, the fractions and {@code split_seed} only, so a key's rows are all in one split, whatever else changes.
 */
public final class KeySplit {
    private static final long STREAM = 0x4B455953L; // "KEYS"

    private KeySplit() {
    }

    /** The split of {@code key} under {@code fractions} (train, validation, test; summing to 1) and {@code seed}. */
    public static Split of(String key, long seed, double[] fractions) {
        double u = unit(key, seed);
        if (u < fractions[0]) return Split.TRAIN;
        return u < fractions[0] + fractions[1] ? Split.VALIDATION : Split.TEST;
    }

    /** The key's hash as a number in [0, 1) with 53 random bits. */
    static double unit(String key, long seed) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        long h = Seeds.derive(seed, STREAM, bytes.length);
        for (int i = 0; i < bytes.length; i += 8) {
            long word = 0;
            for (int j = i; j < Math.min(i + 8, bytes.length); j++) word = word << 8 | (bytes[j] & 0xFF);
            h = Seeds.derive(h, word);
        }
        return (h >>> 11) * 0x1.0p-53;
    }
}
