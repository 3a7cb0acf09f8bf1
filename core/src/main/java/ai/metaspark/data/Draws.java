package ai.metaspark.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The random index draws of the data families, the same bits on every machine for the same generator state. */
public final class Draws {
    private Draws() {
    }

    /** {@code count} distinct values of 0..n-1 in random order (a partial Fisher-Yates shuffle, front to back). */
    public static int[] distinct(SplittableRandom rng, int n, int count) {
        int[] a = identity(n);
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(n - i);
            swap(a, i, j);
        }
        return Arrays.copyOf(a, count);
    }

    /** A random permutation of 0..n-1 (a Fisher-Yates shuffle, back to front). */
    public static int[] permutation(SplittableRandom rng, int n) {
        int[] a = identity(n);
        for (int i = n - 1; i > 0; i--) swap(a, i, rng.nextInt(i + 1));
        return a;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
