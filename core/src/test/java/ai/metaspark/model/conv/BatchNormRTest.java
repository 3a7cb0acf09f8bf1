package ai.metaspark.model.conv;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BatchNormR}'s two implementations of its sweeps: the Vector API ({@link BatchNormLanes}) must give the very
 * bits of the per-channel loops. (That they are the R-operator, Conv4HessianTest checks end to end against the
 * float64 reference.)
 */
class BatchNormRTest {
    private static final ActLayout LAYOUT = new ActLayout(3, 32, 5, 6, 16);

    /** The inputs of one forward and backward: z, a = relu(bn(z)), rz, ga, gz, rga; per channel mean, var, g, vg, vt. */
    private record Case(float[] z, float[] a, float[] rz, float[] ga, float[] gz, float[] rga,
                        float[] mean, float[] var, float[] g, float[] vg, float[] vt) {
        static Case random(ActLayout l, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = l.size();
            int c = l.c();
            float[] z = gaussian(r, n);
            float[] mean = new float[c];
            float[] var = new float[c];
            statistics(l, z, mean, var);
            float[] g = gaussian(r, c);
            float[] t = gaussian(r, c);
            float[] a = new float[n];
            forEach(l, (i, q) -> a[i] = Math.max(0, g[q] * (z[i] - mean[q]) / (float) Math.sqrt(var[q] + Conv4Spec.BN_EPS) + t[q]));
            return new Case(z, a, gaussian(r, n), gaussian(r, n), gaussian(r, n), gaussian(r, n),
                    mean, var, g, gaussian(r, c), gaussian(r, c));
        }
    }

    @Test
    void vectorApiSweepsGiveTheBitsOfThePerChannelLoops() {
        assertTrue(BatchNormR.VECTOR_API, "the tests run with --add-modules=jdk.incubator.vector (conf/jvm.properties)");
        assertTrue(BatchNormR.lanesFit(16), "this CPU's vectors divide a 16-channel block");
        Case k = Case.random(LAYOUT, 7);
        float[][] lanes = run(new BatchNormR(LAYOUT, true), k);
        float[][] loops = run(new BatchNormR(LAYOUT, false), k);
        for (int i = 0; i < lanes.length; i++) {
            assertArrayEquals(loops[i], lanes[i], 0f, "output " + i);
        }
        assertTrue(new BatchNormR(LAYOUT).onLanes());
        assertTrue(!new BatchNormR(new ActLayout(2, 3, 4, 4, 1)).onLanes(), "a plain layout runs the loops");
    }

    /** Forward then backward; returns Ra, R gz, R dgamma, R dbeta. */
    private static float[][] run(BatchNormR bn, Case k) {
        int n = k.z.length;
        int c = k.g.length;
        float[] ra = new float[n];
        float[] rgz = new float[n];
        float[] rdg = new float[c];
        float[] rdt = new float[c];
        bn.forward(k.z, k.a, k.mean, k.var, k.g, k.rz, k.vg, k.vt, ra);
        bn.backward(k.ga, k.gz, k.rga, k.g, k.vg, rgz, rdg, rdt);
        return new float[][] {ra, rgz, rdg, rdt};
    }

    private interface ElementChannel {
        void accept(int i, int q);
    }

    private static void forEach(ActLayout l, ElementChannel f) {
        for (int img = 0; img < l.n(); img++) {
            for (int q = 0; q < l.c(); q++) {
                for (int y = 0; y < l.h(); y++) {
                    for (int x = 0; x < l.w(); x++) f.accept(l.offset(img, q, y, x), q);
                }
            }
        }
    }

    private static void statistics(ActLayout l, float[] z, float[] mean, float[] var) {
        double[] m = new double[l.c()];
        double[] v = new double[l.c()];
        forEach(l, (i, q) -> m[q] += z[i]);
        for (int q = 0; q < l.c(); q++) m[q] /= l.perChannel();
        forEach(l, (i, q) -> v[q] += (z[i] - m[q]) * (z[i] - m[q]));
        for (int q = 0; q < l.c(); q++) {
            mean[q] = (float) m[q];
            var[q] = (float) (v[q] / l.perChannel());
        }
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(1e-12, 1);
            a[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return a;
    }
}
