package ai.metaspark.spark;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.eval.TaskEvaluation;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TaskRunner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Runs the tasks of a meta-step on Spark. Per step: the meta-parameters are broadcast (and destroyed after), the specs
 * are cut into {@code partitions} contiguous slices (many tasks per Spark task), each partition folds its tasks into
 * one {@link MetaGradientAccumulator} and {@code treeAggregate} merges them. The accumulator is exact, so the sum has
 * the same bits for any partition count, retry or executor placement, and equals {@link ai.metaspark.train.LocalTaskRunner}'s.
 */
public final class SparkTaskRunner implements TaskRunner {
    private static final int TREE_DEPTH = 2;
    private final JavaSparkContext sc;
    private final Broadcast<String> config;
    private final int partitions;
    private final boolean ownsContext;

    /**
     * @param configYaml the resolved configuration (broadcast once; executors build the experiment from it)
     * @param partitions Spark tasks per meta-step (at most one per task spec)
     */
    public SparkTaskRunner(JavaSparkContext sc, String configYaml, int partitions) {
        this(sc, configYaml, partitions, false);
    }

    private SparkTaskRunner(JavaSparkContext sc, String configYaml, int partitions, boolean ownsContext) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        this.sc = sc;
        this.config = sc.broadcast(configYaml);
        this.partitions = partitions;
        this.ownsContext = ownsContext;
    }

    /**
     * Starts Spark for {@code config} on {@code master} (null: spark-submit's master, else embedded {@code local[*]});
     * the runner stops the context when closed.
     */
    public static SparkTaskRunner start(String master, RunConfig config) {
        JavaSparkContext sc = SparkRuntime.start(SparkRuntime.conf(master, "metaspark " + config.get(Keys.ALGORITHM)));
        try {
            int p = config.getInt(Keys.PARTITIONS) > 0 ? config.getInt(Keys.PARTITIONS) : sc.defaultParallelism();
            return new SparkTaskRunner(sc, config.toYaml(), Math.min(p, config.getInt(Keys.META_BATCH)), true);
        } catch (RuntimeException e) {
            sc.stop();
            throw e;
        }
    }

    /** {@code log} with a line of Spark stage and task times after each training metrics line. */
    public RunLog withStageMetrics(RunLog log) {
        StageMetrics m = new StageMetrics(log);
        sc.sc().addSparkListener(m);
        return m;
    }

    public String master() {
        return sc.master();
    }

    public int partitions() {
        return partitions;
    }

    @Override
    public MetaGradientAccumulator metaGradient(double[] meta, List<TaskSpec> specs) {
        Broadcast<double[]> theta = sc.broadcast(meta);
        Broadcast<String> cfg = config;
        int size = meta.length;
        try {
            return slices(specs).treeAggregate(new MetaGradientAccumulator(size),
                    (acc, spec) -> {
                        FaultInjection.maybeFail(spec);
                        return acc.add(Worker.of(cfg.value()).adapt(theta.value(), spec));
                    },
                    MetaGradientAccumulator::merge, TREE_DEPTH);
        } finally {
            theta.destroy();
        }
    }

    @Override
    public List<TaskEvaluation> evaluate(double[] meta, List<TaskSpec> specs) {
        Broadcast<double[]> theta = sc.broadcast(meta);
        Broadcast<String> cfg = config;
        try {
            return slices(specs).mapPartitions((Iterator<TaskSpec> it) -> {
                Worker w = Worker.of(cfg.value());
                List<TaskEvaluation> out = new ArrayList<>();
                it.forEachRemaining(spec -> out.add(w.evaluate(theta.value(), spec)));
                return out.iterator();
            }).collect();
        } finally {
            theta.destroy();
        }
    }

    /** The specs in contiguous, order-preserving slices (Spark's {@code parallelize} slices by position). */
    private JavaRDD<TaskSpec> slices(List<TaskSpec> specs) {
        return sc.parallelize(specs, Math.max(1, Math.min(partitions, specs.size())));
    }

    /** Destroys the configuration broadcast, and stops the context if this runner started it. */
    @Override
    public void close() {
        config.destroy();
        if (ownsContext) sc.stop();
    }
}
