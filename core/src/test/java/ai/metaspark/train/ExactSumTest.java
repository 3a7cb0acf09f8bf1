package ai.metaspark.train;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
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
        s.add(new double[]{1e8, -3.5, 1e-12});
        s.add(new double[]{-1e8, 1.25, -1e-12});
        s.add(new double[]{0.5, 0, 3e-13});
        assertEquals(0.5, s.get(0));
        assertEquals(-2.25, s.get(1));
        assertEquals(3e-13, s.get(2), 0x1p-74);   // resolution is 2^-74
    }

    @Test
    void refusesNonFiniteAndHugeValuesAndTooManyVectors() {
        ExactSum s = new ExactSum(2);
        assertThrows(ArithmeticException.class, () -> s.add(new double[]{0, Double.NaN}));
        assertThrows(ArithmeticException.class, () -> s.add(new double[]{ExactSum.LIMIT, 0}));
        assertThrows(ArithmeticException.class, () -> s.add(new double[]{Double.NEGATIVE_INFINITY, 0}));
        ExactSum full = new ExactSum(1);
        for (long i = 0; i < ExactSum.MAX_ADDS; i++) full.add(new double[]{1});
        assertThrows(ArithmeticException.class, () -> full.add(new double[]{1}));
        ExactSum one = new ExactSum(1);
        one.add(new double[]{1});
        assertThrows(ArithmeticException.class, () -> full.merge(one));
    }

    @Test
    void eachValueIsRoundedAt2ToTheMinus74AndSumsAreExact() {
        Random r = new Random(7);
        BigDecimal grid = new BigDecimal(BigInteger.ONE.shiftLeft(74));
        BigDecimal exact = BigDecimal.ZERO;
        ExactSum sum = new ExactSum(1);
        for (int i = 0; i < 20_000; i++) {
            double v = (r.nextBoolean() ? -1 : 1) * r.nextDouble() * Math.pow(2, r.nextInt(110) - 80); // 2^-80 .. 2^29
            BigDecimal rounded = new BigDecimal(v).multiply(grid).setScale(0, RoundingMode.HALF_EVEN).divide(grid);
            ExactSum one = new ExactSum(1);
            one.add(new double[]{v});
            assertEquals(rounded.doubleValue(), one.get(0), Math.ulp(rounded.doubleValue()), "value " + v);
            if (Math.abs(v) >= 0x1p-22) assertEquals(v, one.get(0), "on the 2^-74 grid: " + v);
            exact = exact.add(rounded);
            sum.add(new double[]{v});
        }
        double expected = exact.doubleValue();
        assertEquals(expected, sum.get(0), 2 * Math.ulp(expected));
    }
}
