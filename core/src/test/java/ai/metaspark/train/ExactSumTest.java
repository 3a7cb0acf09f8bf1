package ai.metaspark.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExactSumTest {
    private static List<double[]> vectors(int count, int size, long seed) {
        Random r = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] v = new double[size];
            for (int k = 0; k < size; k++) v[k] = r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4);
            out.add(v);
        }
        return out;
    }

    @Test
    void orderAndGroupingDoNotChangeTheBits() {
        List<double[]> vs = vectors(50, 64, 1);
        ExactSum inOrder = new ExactSum(64);
        vs.forEach(inOrder::add);
        List<double[]> shuffled = new ArrayList<>(vs);
        Collections.shuffle(shuffled, new Random(2));
        ExactSum a = new ExactSum(64);
        ExactSum b = new ExactSum(64);
        for (int i = 0; i < shuffled.size(); i++) (i % 3 == 0 ? a : b).add(shuffled.get(i));
        b.merge(a);
        double plainForward = 0;
        double plainBackward = 0;
        for (int i = 0; i < vs.size(); i++) {
            plainForward += vs.get(i)[0];
            plainBackward += vs.get(vs.size() - 1 - i)[0];
        }
        for (int k = 0; k < 64; k++) {
            assertEquals(Double.doubleToLongBits(inOrder.get(k)), Double.doubleToLongBits(b.get(k)), "component " + k);
        }
        assertEquals(plainForward, inOrder.get(0), 1e-9 * Math.abs(plainForward) + 1e-15);
        assertNotEquals(0.0, inOrder.get(0));
        assertEquals(plainBackward, inOrder.get(0), 1e-9 * Math.abs(plainBackward) + 1e-15);
    }

    @Test
    void negativeTinyAndCancellingValues() {
        ExactSum s = new ExactSum(3);
        s.add(new double[]{1e10, -3.5, 1e-12});
        s.add(new double[]{-1e10, 1.25, -1e-12});
        s.add(new double[]{0.5, 0, 3e-13});
        assertEquals(0.5, s.get(0));
        assertEquals(-2.25, s.get(1));
        assertEquals(3e-13, s.get(2), 0x1p-63);   // resolution is 2^-64
    }

    @Test
    void refusesNonFiniteAndHugeValues() {
        ExactSum s = new ExactSum(1);
        assertThrows(ArithmeticException.class, () -> s.add(0, Double.NaN));
        assertThrows(ArithmeticException.class, () -> s.add(0, 1e13));
    }
}
