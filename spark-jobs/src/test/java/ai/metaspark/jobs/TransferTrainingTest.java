package ai.metaspark.jobs;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.spark.SparkRuntime;
import ai.metaspark.task.ImageShape;
import ai.metaspark.task.LabelledExamples;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.StoppedException;
import ai.metaspark.train.TrainState;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer baseline's classifier training with DL4J Spark's parameter averaging on {@code local[2]}, and in-process,
 * on the first 20 training classes of Omniglot: both reduce the loss over those classes' images; a stopped training
 * resumes from its epoch checkpoint.
 */
class TransferTrainingTest {
    private static final int CLASSES = 20;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void dl4jSparkTrainingOnLocal2AndInProcessTrainingReduceTheLossOnAClassSubset() {
        RealOmniglot.assume();
        Experiment full = Recipe.read(Path.of("..", "conf", "omniglot-5w1s-transfer.yaml").toString(),
                List.of("transfer_epochs=4", "transfer_batch=20")).experiment();
        Experiment e = full.withFamily(new FirstClasses(full.family(), CLASSES));
        TransferTraining training = new TransferTraining(e, QUIET);
        DataSet all = allImages(training);
        double before = loss(training.initialNetwork(), all);

        JavaSparkContext sc = SparkRuntime.start(SparkRuntime.conf("local[2]", "transfer test"));
        double spark;
        try {
            spark = loss(training.train(sc, 2, RunLog.NONE, null, () -> false), all);
        } finally {
            sc.stop();
        }
        double inProcess = loss(training.train(null, 0, RunLog.NONE, null, () -> false), all);
        System.out.printf("loss over %d classes: initial %.4f, DL4J Spark local[2] %.4f, in-process %.4f%n", CLASSES,
                before, spark, inProcess);
        assertTrue(spark < 0.7 * before, "DL4J Spark: " + spark + " vs initial " + before);
        assertTrue(inProcess < 0.7 * before, "in-process: " + inProcess + " vs initial " + before);
    }

    /**
     * A stop after the first of two epochs leaves that epoch's checkpoint and says so; training resumed from it ends
     * with the bits of an uninterrupted run (in-process).
     */
    @Test
    void aStoppedTrainingResumesFromItsEpochCheckpointToTheSameBits() {
        RealOmniglot.assume();
        Experiment full = Recipe.read(Path.of("..", "conf", "omniglot-5w1s-transfer.yaml").toString(),
                List.of("transfer_epochs=2", "transfer_batch=20")).experiment();
        TransferTraining training = new TransferTraining(full.withFamily(new FirstClasses(full.family(), CLASSES)), QUIET);
        double[] uninterrupted = training.train(null, 0, RunLog.NONE, null, () -> false).params().toDoubleVector();

        List<TrainState> checkpoints = new ArrayList<>();
        RunLog log = new RunLog() {
            @Override
            public void metrics(java.util.Map<String, Object> line) {
            }

            @Override
            public void checkpoint(TrainState state) {
                checkpoints.add(state);
            }
        };
        StoppedException stopped = assertThrows(StoppedException.class, () -> training.train(null, 0, log, null, () -> true));
        assertEquals("interrupted at epoch 1; last checkpoint epoch 1; continue with --resume", stopped.getMessage());
        assertEquals(1, checkpoints.size());
        double[] resumed = training.train(null, 0, RunLog.NONE, checkpoints.get(0), () -> false).params().toDoubleVector();
        assertArrayEquals(uninterrupted, resumed);
    }

    /** Every image of the subset once (the first epoch's minibatches). */
    private static DataSet allImages(TransferTraining training) {
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < CLASSES * 20 / 20; b++) batches.add(training.minibatch(0, b));
        return DataSet.merge(batches);
    }

    private static double loss(MultiLayerNetwork net, DataSet data) {
        return net.score(data, false);
    }

    /** A family whose training classes are the first {@code count} of another's. */
    private record FirstClasses(TaskFamily family, int count) implements TaskFamily {
        @Override
        public int inputSize() {
            return family.inputSize();
        }

        @Override
        public int outputSize() {
            return family.outputSize();
        }

        @Override
        public boolean classification() {
            return family.classification();
        }

        @Override
        public Task materialize(TaskSpec spec, int support, int query) {
            return family.materialize(spec, support, query);
        }

        @Override
        public Optional<ImageShape> imageShape() {
            return family.imageShape();
        }

        @Override
        public Optional<LabelledExamples> trainingExamples() {
            LabelledExamples all = family.trainingExamples().orElseThrow();
            return Optional.of(new LabelledExamples() {
                @Override
                public int classes() {
                    return count;
                }

                @Override
                public int size() {
                    return count * all.size() / all.classes(); // Omniglot's examples are class-major, 20 per class
                }

                @Override
                public int inputSize() {
                    return all.inputSize();
                }

                @Override
                public int label(int example) {
                    return all.label(example);
                }

                @Override
                public void copy(int example, float[] dst, int at) {
                    all.copy(example, dst, at);
                }
            });
        }
    }
}
