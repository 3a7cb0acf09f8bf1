package ai.metaspark.model.conv;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LoadedParams} compares as floats, on the Vector API here, a difference anywhere found (the tail included). */
class LoadedParamsTest {
    @Test
    void holdsExactlyTheValuesLoadedAsFloats() {
        Conv4Spec spec = new Conv4Spec(14, 1, 6, 4, Conv4Spec.Variant.STRIDED);
        int n = spec.numParams();
        assertTrue(n % 8 != 0, "a tail past the last whole vector: " + n);
        double[] p = spec.initialParams(3);
        LoadedParams loaded = new LoadedParams(spec);
        assertFalse(loaded.holds(p), "nothing loaded yet");
        loaded.set(p);
        assertTrue(loaded.holds(p));
        assertTrue(loaded.holds(java.util.Arrays.copyOf(p, n + 5)), "a longer vector (a classifier's) holds on its first entries");
        for (int i : new int[] {0, 1, 7, 8, 15, n / 2, n - 9, n - 2, n - 1}) {
            double[] q = p.clone();
            q[i] = Math.nextUp((float) p[i]);
            assertFalse(loaded.holds(q), "a float difference at " + i + " of " + n);
            assertFalse(LoadedParams.sameAsFloatsLoop(q, loaded.set(p)), "the loop finds it too, at " + i);
            double[] sameFloat = p.clone();
            sameFloat[i] = (float) p[i] + Math.ulp(p[i]) * 0.25;
            if ((float) sameFloat[i] == (float) p[i]) assertTrue(loaded.holds(sameFloat), "equal as floats at " + i);
        }
        assertTrue(LoadedParams.sameAsFloatsLoop(p, loaded.set(p)));
        loaded.clear();
        assertFalse(loaded.holds(p));
    }
}
