package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.ParamGroup;
import ai.metaspark.model.conv.Conv4Backend;
import ai.metaspark.model.conv.Conv4Fixtures;
import ai.metaspark.model.conv.Conv4ReferenceLearner;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.model.conv.Conv4Spec.Variant;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance check of the Conv-4 meta-gradients: {@link Maml#adapt} run with the {@link Conv4Learner} on each
 * backend (oneDNN and ND4J operations; f32 inside, exact R-operator Hessian-vector products) against a central finite difference of the whole
 * meta-objective {@code L_Q(theta_k)} computed entirely in float64 on the reference {@link Conv4ReferenceLearner},
 * with an inner loop written here: {@code theta_{j+1} = theta_j - alpha_j . grad_ref L_S(theta_j)}, objective the
 * reference's query loss at {@code theta_k}.
 *
 * <p>Shapes: STRIDED {@code Conv4Spec(14, 1, 8, 4)} and POOL {@code Conv4Spec(16, 1, 8, 4)}, 5 classes (1909 network
 * parameters each), one 5-image support and one 5-image query batch of Gaussian pixels with one-hot targets,
 * initial parameters with gamma, beta and the head bias moved off 1, 0 and 0.
 *
 * <p>Tolerances (relative L2 error {@code ||g - g_fd|| / ||g_fd||}, central-difference step {@value #H} per
 * coordinate, in every coordinate of theta unless stated):
 * <ul>
 *   <li>MAML, second order, fixed inner rate {@value #LR}, 1 and 3 inner steps, both variants: at most
 *       {@value #TOL} (f32 against float64: about 1e-5 expected).</li>
 *   <li>First-order MAML on the same cases: MORE than {@value #FIRST_ORDER_GAP} from the same finite difference (so
 *       the Hessian term matters at this rate and a first-order or zero meta-gradient fails the check above).</li>
 *   <li>Meta-SGD (per-parameter learned rates, unequal), 1 inner step, POOL: theta in every coordinate and
 *       {@value #RATE_SAMPLE} randomly drawn rate coordinates, at most {@value #TOL} both together and for the
 *       sampled rates alone.</li>
 *   <li>MAML++'s LSLR ({@link PerTensorRates}, one learned rate per parameter tensor and step, unequal), 2 inner
 *       steps, STRIDED: every theta and every rate coordinate, at most {@value #TOL} together and for the rates
 *       alone.</li>
 * </ul>
 * Each case also asserts that the finite difference is far from zero and that {@link TaskOutcome#postLoss()} (f32)
 * equals the float64 meta-objective to 1e-4 relative, so the two sides compute the same function.
 */
class Conv4MetaGradientTest {
    static final int CLASSES = 5;
    static final int N = 5;
    /** The fixed inner rate of MAML; the initial value of the learned rates. */
    static final double LR = 0.4;
    /** Central-difference step per coordinate. */
    static final double H = 1e-6;
    /** Relative L2 error allowed between a meta-gradient and the float64 finite difference. */
    static final double TOL = 1e-3;
    /** Relative L2 error first-order MAML must exceed. */
    static final double FIRST_ORDER_GAP = 1e-2;
    /** Learned-rate coordinates of Meta-SGD checked by finite difference. */
    static final int RATE_SAMPLE = 100;

    /** The per-parameter inner rates of step j, from the meta-vector. */
    @FunctionalInterface
    interface Rates {
        double[] at(double[] meta, int j);
    }

    static Conv4Spec spec(Variant v) {
        return Conv4Fixtures.small(v);
    }

    static double[] params(Conv4Spec spec, long seed) {
        return Conv4Fixtures.params(spec, CLASSES, seed);
    }

    /** N images of Gaussian pixels with random labels, one-hot. */
    static Batch batch(Conv4Spec spec, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[N * spec.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        double[] y = new double[N * CLASSES];
        for (int i = 0; i < N; i++) y[i * CLASSES + rng.nextInt(CLASSES)] = 1;
        return new Batch(N, spec.inputSize(), CLASSES, x, y);
    }

    static Task task(Conv4Spec spec, long seed) {
        return new Task(new TaskSpec(Split.TRAIN, 0, 0, seed), batch(spec, seed), batch(spec, seed + 1000));
    }

    /** The float64 meta-objective: k inner steps at the rates {@code rates} on the support, then the query loss. */
    static double metaObjective(Conv4ReferenceLearner ref, double[] meta, int p, int k, Rates rates, Task task) {
        double[] theta = Arrays.copyOf(meta, p);
        double[] g = new double[p];
        for (int j = 0; j < k; j++) {
            ref.gradient(theta, task.support(), g);
            double[] a = rates.at(meta, j);
            for (int i = 0; i < p; i++) theta[i] -= a[i] * g[i];
        }
        return ref.loss(theta, task.query());
    }

    /**
     * Central differences of the float64 meta-objective at {@code meta} in the coordinates {@code coords} (in that
     * order), one reference learner per thread.
     */
    static double[] finiteDifference(Conv4Spec spec, Task task, double[] meta, int p, int k, Rates rates, int[] coords) {
        ThreadLocal<Conv4ReferenceLearner> refs = ThreadLocal.withInitial(() -> new Conv4ReferenceLearner(spec, CLASSES));
        double[] fd = new double[coords.length];
        IntStream.range(0, coords.length).parallel().forEach(i -> {
            Conv4ReferenceLearner ref = refs.get();
            double[] m = meta.clone();
            int c = coords[i];
            m[c] = meta[c] + H;
            double plus = metaObjective(ref, m, p, k, rates, task);
            m[c] = meta[c] - H;
            double minus = metaObjective(ref, m, p, k, rates, task);
            fd[i] = (plus - minus) / (2 * H);
        });
        return fd;
    }

    static Rates uniform(int p, double lr) {
        double[] a = new double[p];
        Arrays.fill(a, lr);
        return (meta, j) -> a;
    }

    @ParameterizedTest(name = "{0}, {1} inner steps")
    @CsvSource({"STRIDED,1,ONEDNN", "STRIDED,3,ONEDNN", "POOL,1,ONEDNN", "POOL,3,ONEDNN",
            "STRIDED,1,ND4J", "STRIDED,3,ND4J", "POOL,1,ND4J", "POOL,3,ND4J"})
    void mamlMatchesFloat64FiniteDifferenceAndFirstOrderDoesNot(Variant v, int k, Conv4Backend backend) {
        long t0 = System.nanoTime();
        Conv4Spec spec = spec(v);
        Conv4Model model = new Conv4Model(spec, CLASSES);
        int p = model.numParams();
        Task task = task(spec, 71);
        Maml maml = new Maml(Maml.Options.sgd(k, LR));
        double[] meta = maml.initialize(params(spec, 70));
        assertEquals(p, meta.length);
        Rates rates = uniform(p, LR);
        double[] fd = finiteDifference(spec, task, meta, p, k, rates, IntStream.range(0, p).toArray());
        double objective = metaObjective(new Conv4ReferenceLearner(spec, CLASSES), meta, p, k, rates, task);

        TaskOutcome second;
        TaskOutcome first;
        try (Conv4Learner learner = new Conv4Learner(model, backend)) {
            second = maml.adapt(learner, meta, task);
            first = new Maml(Maml.Options.sgd(k, LR).asFirstOrder()).adapt(learner, meta, task);
        }
        double errSecond = relErr(second.metaGradient(), fd);
        double errFirst = relErr(first.metaGradient(), fd);
        System.out.printf("MAML %s k=%d: L_Q %.6f -> %.6f, |g_fd| %.4e, second order %.3e, first order %.3e (%.1f s)%n",
                v, k, second.preLoss(), objective, norm(fd), errSecond, errFirst, (System.nanoTime() - t0) / 1e9);

        assertTrue(norm(fd) > 1e-2, v + " k=" + k + ": |g_fd| = " + norm(fd) + " is too small for the check to mean anything");
        assertEquals(objective, second.postLoss(), 1e-4 * Math.abs(objective), "f32 and float64 meta-objectives");
        assertTrue(errSecond <= TOL, v + " k=" + k + ": second-order relative error " + errSecond);
        assertTrue(errFirst > FIRST_ORDER_GAP, v + " k=" + k + ": first order should differ, relative error " + errFirst);
    }

    @ParameterizedTest
    @EnumSource(Conv4Backend.class)
    void metaSgdGradientMatchesFloat64FiniteDifferenceForThetaAndRates(Conv4Backend backend) {
        long t0 = System.nanoTime();
        Conv4Spec spec = spec(Variant.POOL);
        Conv4Model model = new Conv4Model(spec, CLASSES);
        int p = model.numParams();
        Task task = task(spec, 81);
        MetaAlgorithm algo = Algorithms.of(AlgorithmSpec.of("metasgd", 1, LR), model);
        double[] meta = algo.initialize(params(spec, 80));
        assertEquals(2 * p, meta.length);
        SplittableRandom rng = new SplittableRandom(82);
        for (int i = p; i < 2 * p; i++) meta[i] = LR * (0.5 + rng.nextDouble()); // unequal rates
        int[] sampledRates = rng.ints(p, 2 * p).distinct().limit(RATE_SAMPLE).sorted().toArray();
        int[] coords = IntStream.concat(IntStream.range(0, p), Arrays.stream(sampledRates)).toArray();
        Rates rates = (m, j) -> Arrays.copyOfRange(m, p, 2 * p);
        double[] fd = finiteDifference(spec, task, meta, p, 1, rates, coords);
        double objective = metaObjective(new Conv4ReferenceLearner(spec, CLASSES), meta, p, 1, rates, task);

        TaskOutcome outcome;
        try (Conv4Learner learner = new Conv4Learner(model, backend)) {
            outcome = algo.adapt(learner, meta, task);
        }
        assertEquals(2 * p, outcome.metaGradient().length);
        double[] got = pick(outcome.metaGradient(), coords);
        double[] rateFd = Arrays.copyOfRange(fd, p, coords.length);
        double[] rateGot = Arrays.copyOfRange(got, p, coords.length);
        double err = relErr(got, fd);
        double rateErr = relErr(rateGot, rateFd);
        System.out.printf("Meta-SGD POOL k=1: |g_fd| %.4e (rates sampled %d, |g_fd| %.4e), relative error %.3e, rates %.3e (%.1f s)%n",
                norm(fd), sampledRates.length, norm(rateFd), err, rateErr, (System.nanoTime() - t0) / 1e9);

        assertEquals(RATE_SAMPLE, sampledRates.length);
        assertTrue(norm(rateFd) > 1e-3, "rate gradient |g_fd| = " + norm(rateFd) + " is too small for the check to mean anything");
        assertEquals(objective, outcome.postLoss(), 1e-4 * Math.abs(objective), "f32 and float64 meta-objectives");
        assertTrue(rateErr <= TOL, "learned-rate gradient: relative error " + rateErr);
        assertTrue(err <= TOL, "theta and rates: relative error " + err);
    }

    @ParameterizedTest
    @EnumSource(Conv4Backend.class)
    void lslrGradientMatchesFloat64FiniteDifferenceForThetaAndEveryRate(Conv4Backend backend) {
        long t0 = System.nanoTime();
        int k = 2;
        Conv4Spec spec = spec(Variant.STRIDED);
        Conv4Model model = new Conv4Model(spec, CLASSES);
        int p = model.numParams();
        List<ParamGroup> groups = model.paramGroups();
        int numGroups = groups.size();
        Task task = task(spec, 91);
        MetaAlgorithm algo = Algorithms.of(AlgorithmSpec.of("maml", k, LR).withLslr(), model);
        double[] meta = algo.initialize(params(spec, 90));
        assertEquals(p + k * numGroups, meta.length, "LSLR: one rate per tensor and step after theta");
        SplittableRandom rng = new SplittableRandom(92);
        for (int i = p; i < meta.length; i++) meta[i] = LR * (0.5 + rng.nextDouble()); // unequal rates
        Rates rates = (m, j) -> {
            double[] a = new double[p];
            for (int g = 0; g < numGroups; g++) {
                Arrays.fill(a, groups.get(g).offset(), groups.get(g).end(), m[p + j * numGroups + g]);
            }
            return a;
        };
        double[] fd = finiteDifference(spec, task, meta, p, k, rates, IntStream.range(0, meta.length).toArray());
        double objective = metaObjective(new Conv4ReferenceLearner(spec, CLASSES), meta, p, k, rates, task);

        TaskOutcome outcome;
        try (Conv4Learner learner = new Conv4Learner(model, backend)) {
            outcome = algo.adapt(learner, meta, task);
        }
        double[] got = outcome.metaGradient();
        assertEquals(meta.length, got.length);
        double[] rateFd = Arrays.copyOfRange(fd, p, meta.length);
        double[] rateGot = Arrays.copyOfRange(got, p, meta.length);
        double err = relErr(got, fd);
        double rateErr = relErr(rateGot, rateFd);
        System.out.printf("LSLR STRIDED k=%d: |g_fd| %.4e (%d rates, |g_fd| %.4e), relative error %.3e, rates %.3e (%.1f s)%n",
                k, norm(fd), rateFd.length, norm(rateFd), err, rateErr, (System.nanoTime() - t0) / 1e9);

        assertTrue(norm(rateFd) > 1e-3, "rate gradient |g_fd| = " + norm(rateFd) + " is too small for the check to mean anything");
        assertEquals(objective, outcome.postLoss(), 1e-4 * Math.abs(objective), "f32 and float64 meta-objectives");
        assertTrue(rateErr <= TOL, "learned-rate gradient: relative error " + rateErr);
        assertTrue(err <= TOL, "theta and rates: relative error " + err);
    }

    private static double[] pick(double[] a, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = a[idx[i]];
        return out;
    }

    /** ||a - b|| / ||b||. */
    static double relErr(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(d) / norm(b);
    }

    static double norm(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return Math.sqrt(s);
    }
}
