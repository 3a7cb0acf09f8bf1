package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.task.Split;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Conv-4 learner and the algorithms built on it, on synthetic 5-way images (no data needed): the central-difference
 * Hessian-vector product is symmetric, the exact softmax-head HVP matches a difference of its gradients, and the
 * ProtoNet and ANIL meta-gradients match directional finite differences of their query losses.
 */
class ConvAlgorithmsTest {
    private static final int WAYS = 5;
    private static final Conv4Model MODEL = new Conv4Model(Conv4Spec.omniglot(Conv4Spec.Variant.POOL), WAYS);

    private static Batch batch(SplittableRandom rng, int perClass) {
        int n = WAYS * perClass;
        double[] x = new double[n * 784];
        double[] y = new double[n * WAYS];
        for (int i = 0; i < n; i++) {
            int label = i / perClass;
            for (int p = 0; p < 784; p++) x[i * 784 + p] = rng.nextDouble() < 0.1 + 0.05 * label ? 1 : 0;
            y[i * WAYS + label] = 1;
        }
        return new Batch(n, 784, WAYS, x, y);
    }

    static Task task(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Task(new TaskSpec(Split.TRAIN, 0, 0, seed), batch(rng, 1), batch(rng, 3));
    }

    private static double[] direction(int n, long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * rng.nextGaussian();
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double[] plus(double[] a, double[] v, double e) {
        double[] out = a.clone();
        for (int i = 0; i < a.length; i++) out[i] += e * v[i];
        return out;
    }

    @Test
    void hessianVectorProductMatchesTheExactHeadBlock() {
        // Along head-only directions, the head block of H v is the softmax regression's Hessian on the (fixed)
        // embeddings, which SoftmaxHead computes exactly; the R-operator must agree to f32 precision.
        try (Conv4Learner l = new Conv4Learner(MODEL)) {
            double[] theta = MODEL.initialParams(1);
            Batch s = task(2).support();
            int h0 = MODEL.headOffset();
            double[] v = new double[theta.length];
            double[] vh = direction(theta.length - h0, 3, 1);
            System.arraycopy(vh, 0, v, h0, vh.length);
            double[] hv = new double[theta.length];
            l.hessianVector(theta, s, v, hv);
            double[] e = l.classifier().embed(theta, s.x(), s.n());
            double[] exact = new SoftmaxHead(MODEL.conv().embeddingSize(), WAYS)
                    .hessianVector(java.util.Arrays.copyOfRange(theta, h0, theta.length), e, s.n(), vh);
            double err = 0;
            double norm = 0;
            for (int k = 0; k < exact.length; k++) {
                err += (hv[h0 + k] - exact[k]) * (hv[h0 + k] - exact[k]);
                norm += exact[k] * exact[k];
            }
            assertTrue(Math.sqrt(err / norm) < 1e-5, "relative error " + Math.sqrt(err / norm));
        }
    }

    @Test
    void softmaxHeadHessianVectorProductIsExact() {
        SoftmaxHead head = new SoftmaxHead(7, 4);
        SplittableRandom rng = new SplittableRandom(5);
        int n = 6;
        double[] e = direction(n * 7, 6, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rng.nextInt(4);
        double[] h = direction(head.size(), 7, 0.5);
        double[] v = direction(head.size(), 8, 1);
        double eps = 1e-5;
        double[] dzp = new double[n * 4];
        double[] dzm = new double[n * 4];
        head.crossEntropy(head.logits(plus(h, v, eps), e, n), labels, dzp);
        head.crossEntropy(head.logits(plus(h, v, -eps), e, n), labels, dzm);
        double[] gp = head.gradient(e, dzp, n);
        double[] gm = head.gradient(e, dzm, n);
        double[] hv = head.hessianVector(h, e, n, v);
        for (int k = 0; k < hv.length; k++) assertEquals((gp[k] - gm[k]) / (2 * eps), hv[k], 1e-6, "entry " + k);
    }

    /** The meta-gradient's directional derivative against a central difference of the query loss (f32 network). */
    private static void checkDirectional(MetaAlgorithm algo, Task t) {
        try (Conv4Learner l = new Conv4Learner(MODEL)) {
            double[] theta = MODEL.initialParams(11);
            TaskOutcome out = algo.adapt(l, theta, t);
            double[] v = direction(theta.length, 12, 1);
            double e = 1e-3 * Math.sqrt(dot(theta, theta)) / Math.sqrt(dot(v, v));
            double up = algo.adapt(l, plus(theta, v, e), t).postLoss();
            double down = algo.adapt(l, plus(theta, v, -e), t).postLoss();
            double fd = (up - down) / (2 * e);
            double an = dot(out.metaGradient(), v);
            assertEquals(fd, an, 0.03 * Math.abs(fd) + 1e-4, "finite difference " + fd + " vs meta-gradient " + an);
        }
    }

    @Test
    void protoNetMetaGradientIsTheQueryLossGradient() {
        checkDirectional(new ProtoNet(), task(21));
    }

    @Test
    void protoNetHeadGetsNoGradientAndPreEqualsPost() {
        try (Conv4Learner l = new Conv4Learner(MODEL)) {
            TaskOutcome out = new ProtoNet().adapt(l, MODEL.initialParams(3), task(4));
            for (int k = MODEL.headOffset(); k < MODEL.numParams(); k++) assertEquals(0.0, out.metaGradient()[k]);
            assertEquals(out.preLoss(), out.postLoss());
            assertTrue(out.postAccuracy() >= 0 && out.postAccuracy() <= 1);
        }
    }

    @Test
    void anilHeadGradientIsExactSecondOrder() {
        // Freeze the body by looking only along head directions: then ANIL's gradient is exact (second order).
        Anil anil = new Anil(2, 0.4, MODEL.headOffset());
        Task t = task(31);
        try (Conv4Learner l = new Conv4Learner(MODEL)) {
            double[] theta = MODEL.initialParams(13);
            TaskOutcome out = anil.adapt(l, theta, t);
            double[] v = new double[theta.length];
            double[] hv = direction(theta.length - MODEL.headOffset(), 14, 1);
            System.arraycopy(hv, 0, v, MODEL.headOffset(), hv.length);
            double e = 1e-4;
            double fd = (anil.adapt(l, plus(theta, v, e), t).postLoss() - anil.adapt(l, plus(theta, v, -e), t).postLoss()) / (2 * e);
            double an = dot(out.metaGradient(), v);
            assertEquals(fd, an, 1e-3 * Math.abs(fd) + 1e-6, "finite difference " + fd + " vs meta-gradient " + an);
            assertTrue(out.postAccuracy() >= 0 && out.preLoss() > 0);
        }
    }

    @Test
    void algorithmsKnowAnilAndProtoNet() {
        assertTrue(Algorithms.of(AlgorithmSpec.of("anil", 1, 0.4), MODEL) instanceof Anil);
        assertTrue(Algorithms.of(AlgorithmSpec.of("protonet", 1, 0.4), MODEL) instanceof ProtoNet);
    }
}
