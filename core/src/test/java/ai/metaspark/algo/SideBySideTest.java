package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.Learner;
import ai.metaspark.model.SliceLearner;
import ai.metaspark.model.conv.Conv4Backend;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.model.conv.Conv4Spec.Variant;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks side by side ({@link MetaAlgorithm#adaptAll} on the Conv-4 over ND4J operations: one batched pass per gradient
 * and per Hessian-vector product for the whole slice) give every task the bits it gets alone, one task at a time on
 * the single-task classifier: MAML with 1 and 3 inner steps on both variants, first-order MAML, Meta-SGD, MAML++
 * (LSLR, per-step batch norm, multi-step loss, derivative-order annealing) and Prototypical Networks.
 */
class SideBySideTest {
    private static final int TASKS = 3;
    private static final int CLASSES = 5;

    @ParameterizedTest(name = "{0} {1}, {2} inner steps")
    @CsvSource({"maml,STRIDED,1", "maml,STRIDED,3", "maml,POOL,1", "maml,POOL,3", "fomaml,STRIDED,2", "metasgd,POOL,1",
            "maml++,STRIDED,2"})
    void tasksSideBySideGetTheOutcomesTheyGetAlone(String name, Variant variant, int k) {
        Conv4Spec spec = variant == Variant.STRIDED ? new Conv4Spec(14, 1, 8, 4, variant) : new Conv4Spec(16, 1, 8, 4, variant);
        Conv4Model model = new Conv4Model(spec, CLASSES);
        AlgorithmSpec a = name.equals("maml++")
                ? AlgorithmSpec.of("maml", k, 0.3).withLslr().withPerStepBn().withMultiStepLoss(10).withFirstOrderSteps(2)
                : AlgorithmSpec.of(name, k, 0.3);
        MetaAlgorithm algo = Algorithms.of(a, model);
        double[] meta = algo.initialize(model.initialParams(7));
        List<Task> tasks = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) tasks.add(task(spec, 5, t));
        try (Conv4Learner sideBySide = new Conv4Learner(model, Conv4Backend.ND4J);
             Conv4Learner oneAtATime = new Conv4Learner(model, Conv4Backend.ND4J)) {
            assertTrue(sideBySide.sideBySide().isPresent(), "the ND4J Conv-4 computes tasks side by side");
            List<TaskOutcome> together = algo.adaptAll(sideBySide, meta, tasks);
            Learner single = hidingSlices(oneAtATime);
            assertEquals(TASKS, together.size());
            for (int t = 0; t < TASKS; t++) {
                TaskOutcome alone = algo.adapt(single, meta, tasks.get(t));
                TaskOutcome got = together.get(t);
                assertArrayEquals(alone.metaGradient(), got.metaGradient(), name + ": task " + t + "'s meta-gradient");
                assertEquals(alone.preLoss(), got.preLoss(), 0.0, "pre loss");
                assertEquals(alone.postLoss(), got.postLoss(), 0.0, "post loss");
                assertEquals(alone.preAccuracy(), got.preAccuracy(), 0.0, "pre accuracy");
                assertEquals(alone.postAccuracy(), got.postAccuracy(), 0.0, "post accuracy");
            }
            assertFalse(java.util.Arrays.equals(together.get(0).metaGradient(), together.get(1).metaGradient()),
                    "different tasks, different meta-gradients");
        }
    }

    @Test
    void protoNetEpisodesSideBySideGetTheOutcomesTheyGetAlone() {
        Conv4Spec spec = new Conv4Spec(16, 1, 8, 4, Variant.POOL);
        Conv4Model model = new Conv4Model(spec, CLASSES);
        MetaAlgorithm algo = Algorithms.of(AlgorithmSpec.of("protonet", 0, 0), model);
        double[] meta = algo.initialize(model.initialParams(11));
        List<Task> tasks = List.of(task(spec, 4, 0), task(spec, 4, 1), task(spec, 4, 2));
        try (Conv4Learner sideBySide = new Conv4Learner(model, Conv4Backend.ND4J);
             Conv4Learner alone = new Conv4Learner(model, Conv4Backend.ND4J)) {
            List<TaskOutcome> together = algo.adaptAll(sideBySide, meta, tasks);
            for (int t = 0; t < tasks.size(); t++) {
                TaskOutcome one = algo.adapt(alone, meta, tasks.get(t));
                assertArrayEquals(one.metaGradient(), together.get(t).metaGradient(), "task " + t + "'s gradient");
                assertEquals(one.postLoss(), together.get(t).postLoss(), 0.0);
                assertEquals(one.postAccuracy(), together.get(t).postAccuracy(), 0.0);
            }
            assertFalse(java.util.Arrays.equals(together.get(0).metaGradient(), together.get(1).metaGradient()));
        }
    }

    @Test
    void aLargeSliceRunsInPartsOfAtMostMaxTasksInOrder() {
        List<Integer> tasks = java.util.stream.IntStream.range(0, 2 * SliceLearner.MAX_TASKS + 1).boxed().toList();
        List<List<Integer>> parts = SliceLearner.parts(tasks);
        assertEquals(List.of(SliceLearner.MAX_TASKS, SliceLearner.MAX_TASKS, 1), parts.stream().map(List::size).toList());
        assertEquals(tasks, parts.stream().flatMap(List::stream).toList());
        assertTrue(SliceLearner.parts(List.of()).isEmpty());
    }

    @Test
    void oneDnnComputesOneTaskAtATimeWithTheSameOutcomes() {
        Conv4Spec spec = new Conv4Spec(14, 1, 8, 4, Variant.STRIDED);
        Conv4Model model = new Conv4Model(spec, CLASSES);
        MetaAlgorithm algo = Algorithms.of(AlgorithmSpec.of("maml", 1, 0.4), model);
        double[] meta = algo.initialize(model.initialParams(3));
        List<Task> tasks = List.of(task(spec, 9, 0), task(spec, 9, 1));
        try (Conv4Learner a = new Conv4Learner(model, Conv4Backend.ONEDNN); Conv4Learner b = new Conv4Learner(model, Conv4Backend.ONEDNN)) {
            assertTrue(a.sideBySide().isEmpty());
            List<TaskOutcome> all = algo.adaptAll(a, meta, tasks);
            for (int t = 0; t < tasks.size(); t++) {
                assertArrayEquals(algo.adapt(b, meta, tasks.get(t)).metaGradient(), all.get(t).metaGradient());
            }
        }
    }

    /** The learner without its side-by-side passes: MAML then takes one task at a time through its own methods. */
    private static Learner hidingSlices(Learner l) {
        return new Learner() {
            @Override
            public boolean isClassifier() {
                return l.isClassifier();
            }

            @Override
            public double loss(double[] params, Batch data) {
                return l.loss(params, data);
            }

            @Override
            public double gradient(double[] params, Batch data, double[] grad) {
                return l.gradient(params, data, grad);
            }

            @Override
            public double[] gradientAndAccuracy(double[] params, Batch data, double[] grad) {
                return l.gradientAndAccuracy(params, data, grad);
            }

            @Override
            public void hessianVector(double[] params, Batch data, double[] v, double[] out) {
                l.hessianVector(params, data, v, out);
            }

            @Override
            public double[] predict(double[] params, Batch data) {
                return l.predict(params, data);
            }

            @Override
            public Optional<SliceLearner> sideBySide() {
                return Optional.empty();
            }
        };
    }

    /** Task {@code index} of meta-step {@code step}: 5 support and 5 query images of Gaussian pixels, one per class. */
    static Task task(Conv4Spec spec, long step, int index) {
        SplittableRandom rng = new SplittableRandom(1000 * step + index);
        return new Task(new TaskSpec(Split.TRAIN, step, index, rng.nextLong()), batch(spec, rng), batch(spec, rng));
    }

    private static Batch batch(Conv4Spec spec, SplittableRandom rng) {
        double[] x = new double[CLASSES * spec.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        int[] labels = java.util.stream.IntStream.range(0, CLASSES).toArray();
        for (int i = CLASSES - 1; i > 0; i--) { // each class once, shuffled
            int j = rng.nextInt(i + 1);
            int l = labels[i];
            labels[i] = labels[j];
            labels[j] = l;
        }
        double[] y = new double[CLASSES * CLASSES];
        for (int i = 0; i < CLASSES; i++) y[i * CLASSES + labels[i]] = 1;
        return new Batch(CLASSES, spec.inputSize(), CLASSES, x, y);
    }
}
