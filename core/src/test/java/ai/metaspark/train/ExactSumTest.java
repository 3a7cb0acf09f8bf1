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

    @Test
    void eachValueIsTruncatedTowardZeroAt2ToTheMinus64AndSumsAreExact() {
        Random r = new Random(7);
        java.math.BigDecimal scale = new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(64));
        java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
        ExactSum sum = new ExactSum(1);
        for (int i = 0; i < 20_000; i++) {
            double v = (r.nextBoolean() ? -1 : 1) * r.nextDouble() * Math.pow(2, r.nextInt(120) - 80); // 2^-80 .. 2^39
            java.math.BigDecimal truncated = new java.math.BigDecimal(v).multiply(scale).setScale(0, java.math.RoundingMode.DOWN);
            ExactSum one = new ExactSum(1);
            one.add(0, v);
            double expected = truncated.divide(scale).doubleValue();
            assertEquals(expected, one.get(0), Math.ulp(expected), "value " + v);
            if (Math.abs(v) >= 0x1p-12) assertEquals(v, one.get(0), "representable at 2^-64: " + v);
            exact = exact.add(truncated);
            sum.add(0, v);
        }
        double expected = exact.divide(scale).doubleValue();
        assertEquals(expected, sum.get(0), Math.ulp(expected));
    }

    private static BigInteger integer(ExactSum s, int k) {
        BigInteger low = new BigInteger(Long.toUnsignedString(s.low()[k]));
        return BigInteger.valueOf(s.high()[k]).shiftLeft(64).add(low);
    }

    private static BigInteger truncated(double v) {
        return new BigDecimal(v).multiply(new BigDecimal(BigInteger.ONE.shiftLeft(64))).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /** Zeros, subnormals, the smallest normals and the grids' edges: where the sign factor of the fine part is inexact or the parts change. */
    @Test
    void edgeValuesAreTruncatedExactly() {
        List<Double> values = new ArrayList<>(List.of(0.0, Double.MIN_VALUE, 3 * Double.MIN_VALUE, Double.MIN_NORMAL,
                Math.nextUp(Double.MIN_NORMAL), Math.nextDown(Double.MIN_NORMAL), 2 * Double.MIN_NORMAL, 0x1p-1020,
                0x1p-64, Math.nextDown(0x1p-64), Math.nextUp(0x1p-64), 0x1p-30, Math.nextDown(0x1p-30), 0x1p-29 * 1.5,
                0x1p-12 + 0x1p-70, 16.0, Math.nextDown(16.0), 0x1p5 * 1.5, Math.nextDown(0x1p40)));
        for (double v : List.copyOf(values)) values.add(-v);
        for (double v : values) {
            ExactSum one = new ExactSum(1);
            one.add(new double[] {v});
            assertEquals(truncated(v), integer(one, 0), "value " + v);
        }
    }

    /** Vectors below 16 in magnitude (gradients) skip the coarse part: the same integers as values added one by one. */
    @Test
    void smallVectorsGiveTheBitsOfTheGeneralSplit() {
        Random r = new Random(13);
        ExactSum vectors = new ExactSum(500);
        ExactSum oneByOne = new ExactSum(500);
        for (int i = 0; i < 40; i++) {
            double[] v = new double[500];
            for (int k = 0; k < v.length; k++) v[k] = (r.nextBoolean() ? -1 : 1) * r.nextDouble() * Math.pow(2, r.nextInt(80) - 76);
            v[i] = Math.nextDown(16.0);
            vectors.add(v);
            for (int k = 0; k < v.length; k++) oneByOne.add(k, v[k]);
        }
        for (int k = 0; k < 500; k++) {
            assertEquals(integer(oneByOne, k), integer(vectors, k), "component " + k);
        }
    }

    /** The three double accumulators hold the truncations exactly, past a flush, at the largest magnitudes allowed. */
    @Test
    void theIntegerIsTheExactSumOfTruncationsAcrossFlushes() {
        Random r = new Random(11);
        ExactSum sum = new ExactSum(2);
        BigInteger[] exact = {BigInteger.ZERO, BigInteger.ZERO};
        int adds = ExactSum.FLUSH_EVERY + 1000;
        for (int i = 0; i < adds; i++) {
            double big = (r.nextBoolean() ? -1 : 1) * (0x1p40 - Math.ulp(0x1p40) * (1 + r.nextInt(1000)));
            double mixed = (r.nextBoolean() ? -1 : 1) * r.nextDouble() * Math.pow(2, r.nextInt(110) - 70);
            double[] v = i % 2 == 0 ? new double[]{big, mixed} : new double[]{mixed, big};
            if (i % 3 == 0) {
                sum.add(v);
            } else {
                sum.add(0, v[0]);
                sum.add(1, v[1]);
            }
            exact[0] = exact[0].add(truncated(v[0]));
            exact[1] = exact[1].add(truncated(v[1]));
        }
        assertEquals(exact[0], integer(sum, 0));
        assertEquals(exact[1], integer(sum, 1));
    }

    @Test
    void javaSerializationKeepsValuesNotYetFlushed() throws Exception {
        ExactSum s = new ExactSum(2);
        s.add(new double[]{1.25, -0x1p-40});
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        ExactSum back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ExactSum) in.readObject();
        }
        back.add(new double[]{1, 1});
        assertEquals(2.25, back.get(0));
        assertEquals(1 - 0x1p-40, back.get(1));
        assertEquals(ExactSum.of(s.high(), s.low()).get(1), s.get(1));
    }
}
