package ai.metaspark.jobs;

import ai.metaspark.data.Draws;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.Dl4jModels;
import ai.metaspark.optim.OptimizerSpec;
import ai.metaspark.task.LabelledExamples;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.StoppedException;
import ai.metaspark.train.TrainState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Trains the transfer baseline's classifier: the Conv-4 network as an ordinary classifier over every training class
 * (Chen et al. 2019), with DL4J. On Spark it is data-parallel through DL4J Spark's parameter averaging
 * ({@link ParameterAveragingTrainingMaster}, one averaging per {@value #AVERAGING_FREQUENCY} minibatches per worker) on
 * the run's Spark context; in-process it is DL4J's own {@code fit}. Each epoch visits every training image once in an
 * order drawn from (seed, epoch); a last minibatch smaller than the others is left out. Minibatches are built where
 * they are used (on executors from the per-JVM image cache), never collected on the driver.
 */
final class TransferTraining {
    static final int AVERAGING_FREQUENCY = 5;
    private static final long PROGRESS_NANOS = 5_000_000_000L;
    /** The seed stream of the classifier's epoch orders ("XFER"). */
    private static final long ORDER_STREAM = 0x58464552L;

    private final Experiment e;
    private final LabelledExamples examples;
    private final PrintStream console;

    TransferTraining(Experiment e, PrintStream console) {
        this.e = e;
        this.examples = e.family().trainingExamples().orElseThrow();
        this.console = console;
    }

    /** The classifier before training, its initial parameters drawn from the run's seed. */
    MultiLayerNetwork initialNetwork() {
        return Dl4jModels.conv4Classifier(((Conv4Model) e.network()).conv(), examples.classes(),
                Seeds.derive(e.seed(), ORDER_STREAM, -1), updater(e.optimizer()));
    }

    /** Minibatch {@code b} of epoch {@code epoch}. */
    DataSet minibatch(int epoch, int b) {
        return new Minibatch(e.family(), e.seed(), epoch, e.classifier().batchSize()).call(b);
    }

    /**
     * Trains in this JVM (Spark context null) or data-parallel on {@code sc} and returns the trained classifier. Each
     * epoch ends with a checkpoint to {@code log} (state step = epochs done; the parameters and the updater's state);
     * training continues from {@code resumed} (null: from the start). When {@code stop} says so after an epoch, it
     * throws {@link StoppedException} there.
     */
    MultiLayerNetwork train(JavaSparkContext sc, int partitions, RunLog log, TrainState resumed, BooleanSupplier stop) {
        Experiment.Classifier c = e.classifier();
        int batches = minibatchesPerEpoch();
        int first = resumed == null ? 0 : resumed.step();
        console.printf(Locale.ROOT, "classifier: %d classes, %d images, %d epochs of %d minibatches of %d, %s%s%n",
                examples.classes(), examples.size(), c.epochs(), batches, c.batchSize(),
                sc == null ? "in-process" : "DL4J Spark parameter averaging over " + partitions + " partitions",
                first > 0 ? ", resuming after epoch " + first : "");
        Fitter fitter = new Fitter(resumed == null ? initialNetwork() : restored(resumed), sc, partitions);
        for (int epoch = first; epoch < c.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double lr = learningRate(e.optimizer(), epoch, c.epochs());
            double loss = fitter.fit(epoch, batches, lr);
            double seconds = (System.nanoTime() - t0) / 1e9;
            console.printf(Locale.ROOT, "epoch %d/%d  lr %.2e  loss %.4f  %.0f images/s%n", epoch + 1, c.epochs(), lr, loss,
                    batches * (double) c.batchSize() / seconds);
            log.checkpoint(state(fitter.network(), epoch + 1));
            if (stop.getAsBoolean() && epoch + 1 < c.epochs()) throw new StoppedException("epoch", epoch + 1);
        }
        return fitter.network();
    }

    /**
     * The classifier's state after {@code epochs} epochs, as a checkpoint holds it: the parameters, and as the
     * optimizer's state the updater's (Adam's moments) followed by DL4J's iteration and epoch counts (Adam's bias
     * correction reads the iteration count).
     */
    private static TrainState state(MultiLayerNetwork net, int epochs) {
        double[] updater = net.getUpdater().getStateViewArray().toDoubleVector();
        double[] optimizer = java.util.Arrays.copyOf(updater, updater.length + 2);
        optimizer[updater.length] = net.getIterationCount();
        optimizer[updater.length + 1] = net.getEpochCount();
        return new TrainState(epochs, net.params().toDoubleVector(), optimizer, new double[0], Double.NaN, 0);
    }

    /** The classifier of a checkpoint: parameters, updater state and counts. */
    private MultiLayerNetwork restored(TrainState s) {
        MultiLayerNetwork net = initialNetwork();
        net.setParams(Nd4j.createFromArray(s.meta()).castTo(DataType.FLOAT).reshape(1, s.meta().length));
        double[] o = s.optimizerState();
        int n = o.length - 2;
        net.getUpdater().getStateViewArray().assign(
                Nd4j.createFromArray(java.util.Arrays.copyOf(o, n)).castTo(DataType.FLOAT).reshape(1, n));
        net.setIterationCount((int) o[n]);
        net.setEpochCount((int) o[n + 1]);
        return net;
    }

    int minibatchesPerEpoch() {
        return examples.size() / e.classifier().batchSize();
    }

    /** Fits minibatches of the classifier, in this JVM or through DL4J Spark. */
    final class Fitter {
        private final JavaSparkContext sc;
        private final int partitions;
        private final SparkDl4jMultiLayer spark;
        private MultiLayerNetwork net;

        /** @param sc null: in this JVM */
        Fitter(MultiLayerNetwork net, JavaSparkContext sc, int partitions) {
            this.net = net;
            this.sc = sc;
            this.partitions = partitions;
            this.spark = sc == null ? null : new SparkDl4jMultiLayer(sc, net, master(e.classifier().batchSize()));
        }

        MultiLayerNetwork network() {
            return net;
        }

        /** Fits minibatches 0..count-1 of {@code epoch} at rate {@code lr}; returns their mean loss. */
        double fit(int epoch, int count, double lr) {
            Minibatch source = new Minibatch(e.family(), e.seed(), epoch, e.classifier().batchSize());
            if (spark != null) {
                spark.getNetwork().setLearningRate(lr);
                JavaRDD<Integer> ids = sc.parallelize(IntStream.range(0, count).boxed().toList(), partitions);
                sc.setJobDescription(String.format(Locale.ROOT, "transfer classifier: epoch %d", epoch + 1));
                net = spark.fit(ids.map(source));
                return spark.getScore();
            }
            net.setLearningRate(lr);
            double sum = 0;
            long t0 = System.nanoTime();
            long shown = t0;
            for (int b = 0; b < count; b++) {
                net.fit(source.call(b));
                sum += net.score();
                if (System.nanoTime() - shown > PROGRESS_NANOS) {
                    shown = System.nanoTime();
                    console.printf(Locale.ROOT, "epoch %d  minibatch %d/%d  loss %.4f  %.0f images/s%n", epoch + 1, b + 1,
                            count, sum / (b + 1), (b + 1) * (double) e.classifier().batchSize() / ((shown - t0) / 1e9));
                }
            }
            return sum / count;
        }
    }

    private static ParameterAveragingTrainingMaster master(int batchSize) {
        return new ParameterAveragingTrainingMaster.Builder(batchSize).batchSizePerWorker(batchSize)
                .averagingFrequency(AVERAGING_FREQUENCY).workerPrefetchNumBatches(0).saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct).repartionData(Repartition.Never)
                .storageLevel(StorageLevel.NONE()) // minibatches are cheap to rebuild and large to keep (one-hot labels)
                .collectTrainingStats(false).build();
    }

    /** DL4J's update rule of the recipe's outer optimizer. */
    private static IUpdater updater(OptimizerSpec o) {
        return switch (o.rule()) {
            case ADAM -> new Adam(o.learningRate());
            case NESTEROV -> new Nesterovs(o.learningRate(), o.momentum());
            case SGD -> new Sgd(o.learningRate());
        };
    }

    /** The rate of epoch {@code epoch}: constant, or cosine from outer_lr down to lr_min over the epochs. */
    static double learningRate(OptimizerSpec o, int epoch, int epochs) {
        if (o.schedule().decay() != OptimizerSpec.Decay.COSINE) return o.learningRate();
        double min = o.schedule().min();
        return min + (o.learningRate() - min) * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
    }

    /** Minibatch {@code b} of one epoch: images in the epoch's order, one-hot labels over every training class. */
    static final class Minibatch implements Function<Integer, DataSet> {
        private static final long serialVersionUID = 1L;
        private final TaskFamily family;
        private final long seed;
        private final int epoch;
        private final int size;
        private transient int[] order;

        Minibatch(TaskFamily family, long seed, int epoch, int size) {
            this.family = family;
            this.seed = seed;
            this.epoch = epoch;
            this.size = size;
        }

        @Override
        public DataSet call(Integer b) {
            LabelledExamples ex = family.trainingExamples().orElseThrow();
            int[] o = order(ex);
            int d = ex.inputSize();
            float[] x = new float[size * d];
            float[] y = new float[size * ex.classes()];
            for (int i = 0; i < size; i++) {
                int id = o[b * size + i];
                ex.copy(id, x, i * d);
                y[i * ex.classes() + ex.label(id)] = 1;
            }
            return new DataSet(Nd4j.createFromArray(x).reshape(size, d), Nd4j.createFromArray(y).reshape(size, ex.classes()));
        }

        /** A permutation of every example, drawn from (seed, epoch). */
        private int[] order(LabelledExamples ex) {
            if (order == null) {
                order = Draws.permutation(new SplittableRandom(Seeds.derive(seed, ORDER_STREAM, epoch)), ex.size());
            }
            return order;
        }
    }
}
