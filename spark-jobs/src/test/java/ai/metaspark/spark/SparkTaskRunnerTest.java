package ai.metaspark.spark;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.config.RunConfig;
import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.task.Split;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.DivergedException;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TaskRunner;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed meta-step against the in-process reference, on real local Spark with 3 task threads. */
class SparkTaskRunnerTest {
    private static final RunConfig CONFIG = RunConfig.defaults().with("meta_steps=12", "meta_batch=7", "val_every=0",
            "checkpoint_every=0", "log_every=6", "eval_steps=3");
    private static JavaSparkContext sc;
    private static double[] reference;

    @BeforeAll
    static void start() {
        sc = SparkRuntime.start(SparkRuntime.conf("local[3,2]", "SparkTaskRunnerTest")); // 2 attempts per task
        Experiment e = Recipe.of(CONFIG).experiment();
        try (TaskRunner local = new LocalTaskRunner(e, 1)) {
            reference = train(e, local);
        }
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static double[] train(Experiment e, TaskRunner runner) {
        MetaTrainer t = new MetaTrainer(e, runner, RunLog.NONE, new PrintStream(OutputStream.nullOutputStream()));
        return t.train(t.initialState()).meta();
    }

    @Test
    void sameBitsAsInProcessForAnyPartitionCountAndJobLength() {
        for (String perJob : new String[]{"steps_per_job=1", "steps_per_job=4", "steps_per_job=0"}) {
            RunConfig c = CONFIG.with(perJob);
            Experiment e = Recipe.of(c).experiment();
            for (int partitions : new int[]{1, 2, 3, 7}) {
                try (SparkTaskRunner spark = new SparkTaskRunner(sc, e, partitions)) {
                    assertArrayEquals(reference, train(e, spark), perJob + ", partitions=" + partitions);
                }
            }
        }
    }

    @Test
    void aMultiStepSegmentIsOneSparkJobDescribedByItsSteps() throws Exception {
        RunConfig c = CONFIG.with("steps_per_job=6");
        AtomicInteger jobs = new AtomicInteger();
        List<String> descriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.incrementAndGet();
                descriptions.add(start.properties().getProperty("spark.job.description"));
            }
        };
        sc.sc().addSparkListener(counter);
        Experiment e = Recipe.of(c).experiment();
        try (SparkTaskRunner spark = new SparkTaskRunner(sc, e, 3)) {
            assertArrayEquals(reference, train(e, spark));
            sc.sc().listenerBus().waitUntilEmpty();
            assertEquals(2, jobs.get(), "12 steps in segments of 6");
            assertEquals(List.of("meta-steps 1-6", "meta-steps 7-12"), descriptions, "what the Spark UI shows");
        } finally {
            sc.sc().removeSparkListener(counter);
        }
    }

    /** A divergence is a result, not a task failure to retry: it ends training at the in-process step, in every mode. */
    @ParameterizedTest
    @ValueSource(strings = {"steps_per_job=1", "steps_per_job=6"})
    void aDivergenceStopsAtTheSameStepAsInProcess(String perJob) {
        RunConfig c = CONFIG.with(perJob, "outer_optimizer=sgd", "outer_lr=1");
        Experiment e = Recipe.of(c).experiment();
        String local;
        try (TaskRunner r = new LocalTaskRunner(e, 1)) {
            local = assertThrows(DivergedException.class, () -> train(e, r)).getMessage();
        }
        assertTrue(local.matches("training diverged at step [1-9]\\d*: .*"), local); // inside a segment, not step 0
        try (SparkTaskRunner spark = new SparkTaskRunner(sc, e, 3)) {
            String dist = assertThrows(DivergedException.class, () -> train(e, spark)).getMessage();
            assertEquals(local.substring(0, local.indexOf(':')), dist.substring(0, dist.indexOf(':')));
        }
    }

    @Test
    void evaluationsComeBackInOrderWithTheSameCurves() {
        Experiment e = Recipe.of(CONFIG).experiment();
        List<TaskSpec> specs = e.sampler().heldOut(Split.TEST, 9);
        double[] meta = e.initialMeta();
        List<TaskEvaluation> local;
        try (TaskRunner r = new LocalTaskRunner(e, 2)) {
            local = r.evaluate(meta, specs);
        }
        try (SparkTaskRunner spark = new SparkTaskRunner(sc, e, 4)) {
            List<TaskEvaluation> dist = spark.evaluate(meta, specs);
            assertEquals(specs.size(), dist.size());
            for (int i = 0; i < specs.size(); i++) assertArrayEquals(local.get(i).perStep(), dist.get(i).perStep(), "task " + i);
        }
    }

    /**
     * With per-step jobs Spark retries the one task; in a barrier segment the failure breaks the segment's all-reduce,
     * the other tasks fail with it and Spark re-runs the whole stage.
     */
    @ParameterizedTest
    @ValueSource(strings = {"steps_per_job=1", "steps_per_job=6"})
    void aTaskFailureInTheMiddleOfAStepIsRetriedAndChangesNothing(String perJob) throws Exception {
        RunConfig c = CONFIG.with(perJob);
        AtomicInteger failed = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof ExceptionFailure f && f.description().contains("injected failure")) failed.incrementAndGet();
            }
        };
        sc.sc().addSparkListener(counter);
        Experiment plain = Recipe.of(c).experiment();
        // step 5, task 4: the middle of the second partition
        Experiment e = plain.withAlgorithm(new FailFirstAttempt(plain.algorithm(), 5, 4));
        try (SparkTaskRunner spark = new SparkTaskRunner(sc, e, 3)) {
            double[] meta = train(e, spark);
            sc.sc().listenerBus().waitUntilEmpty();
            assertEquals(1, failed.get(), "exactly the injected failure");
            assertArrayEquals(reference, meta);
        } finally {
            sc.sc().removeSparkListener(counter);
        }
    }
}
