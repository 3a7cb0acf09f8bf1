package ai.metaspark.model.conv;

import ai.metaspark.model.conv.Conv4Spec.Variant;
import ai.metaspark.task.Batch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static ai.metaspark.model.conv.Conv4ReferenceTest.CLASSES;
import static ai.metaspark.model.conv.Conv4ReferenceTest.N;
import static ai.metaspark.model.conv.Conv4ReferenceTest.batch;
import static ai.metaspark.model.conv.Conv4ReferenceTest.gaussian;
import static ai.metaspark.model.conv.Conv4ReferenceTest.labels;
import static ai.metaspark.model.conv.Conv4ReferenceTest.params;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact Hessian-vector product of the oneDNN Conv-4 (the R-operator, {@link Conv4Classifier#hessianVector})
 * against the float64 reference ({@link Conv4ReferenceLearner}: a central difference of its exact gradient), for
 * both variants, on 8 filters (oneDNN's 8-blocked layout) and 16 (the 16-blocked layout of the 64-filter network), on
 * both backends (oneDNN, ND4J operations).
 * f32 allows about 1e-5 relative; the bounds are 1e-4. The loss and gradient must agree first.
 */
class Conv4HessianTest {
    static Stream<Arguments> shapes() {
        return Stream.of(Conv4Backend.values()).flatMap(backend -> Stream.of(
                Arguments.of(new Conv4Spec(14, 1, 8, 4, Variant.STRIDED), backend),
                Arguments.of(new Conv4Spec(16, 1, 8, 4, Variant.POOL), backend),
                Arguments.of(new Conv4Spec(14, 1, 16, 4, Variant.STRIDED), backend),
                Arguments.of(new Conv4Spec(16, 2, 16, 4, Variant.POOL), backend)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void exactHessianVectorProductMatchesTheFloat64Reference(Conv4Spec spec, Conv4Backend backend) {
        double[] p = params(spec, 51);
        int[] labels = labels(52);
        Batch data = batch(spec, gaussian(N * spec.inputSize(), 53), labels);
        Conv4ReferenceLearner ref = new Conv4ReferenceLearner(spec, CLASSES);
        try (Conv4Classifier net = new Conv4Classifier(spec, CLASSES, backend)) {
            double[] g = new double[p.length];
            double[] gRef = new double[p.length];
            double loss = net.gradient(p, data.x(), labels, g);
            double lossRef = ref.gradient(p, data, gRef);
            assertTrue(Math.abs(loss - lossRef) < 1e-5 * Math.abs(lossRef), spec + ": loss " + loss + " vs " + lossRef);
            assertTrue(relative(g, gRef) < 1e-4, spec + ": gradient relative error " + relative(g, gRef));
            for (long seed : new long[] {54, 55}) {
                double[] v = gaussian(p.length, seed);
                double[] hv = new double[p.length];
                double[] hvRef = new double[p.length];
                net.hessianVector(p, data.x(), labels, v, hv);
                ref.hessianVector(p, data, v, hvRef);
                double err = relative(hv, hvRef);
                System.out.printf("%s: |Hv| %.4e, relative error against float64 %.3e%n", spec, norm(hvRef), err);
                assertTrue(norm(hvRef) > 1e-2, "a near-zero Hv would pass trivially");
                assertTrue(err < 1e-4, spec + ": Hv relative error " + err);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void exactHessianVectorProductIsSymmetric(Conv4Spec spec, Conv4Backend backend) {
        double[] p = params(spec, 61);
        int[] labels = labels(62);
        double[] x = gaussian(N * spec.inputSize(), 63);
        try (Conv4Classifier net = new Conv4Classifier(spec, CLASSES, backend)) {
            for (long seed = 64; seed < 70; seed += 2) {
                double[] u = gaussian(p.length, seed);
                double[] w = gaussian(p.length, seed + 1);
                double[] hu = new double[p.length];
                double[] hw = new double[p.length];
                net.hessianVector(p, x, labels, u, hu);
                net.hessianVector(p, x, labels, w, hw);
                double uHw = dot(u, hw);
                double wHu = dot(w, hu);
                double err = Math.abs(uHw - wHu) / Math.max(Math.abs(uHw), Math.abs(wHu));
                System.out.printf("%s: u.Hw %.8e, w.Hu %.8e, relative %.3e%n", spec, uHw, wHu, err);
                assertTrue(err < 1e-4, spec + ": u.Hw " + uHw + " vs w.Hu " + wHu);
            }
        }
    }

    static double relative(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(d) / norm(b);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
