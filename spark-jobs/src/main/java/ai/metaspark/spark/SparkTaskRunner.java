package ai.metaspark.spark;

import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.spark.allreduce.AllReduceServer;
import ai.metaspark.spark.allreduce.Tls;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.DivergedException;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.Segment;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TaskRunner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs the tasks of a meta-step on Spark. Per step: the meta-parameters are broadcast (and destroyed after), the specs
 * are cut into {@code partitions} contiguous slices (many tasks per Spark task), each partition adapts its tasks at
 * once ({@code Worker.adaptAll}: side by side where the learner can) into one {@link MetaGradientAccumulator} and
 * {@code treeReduce} merges them. The accumulator is exact, so the sum has
 * the same bits for any partition count, retry or executor placement, and equals {@link ai.metaspark.train.LocalTaskRunner}'s.
 *
 * <p>A segment of several steps runs as one barrier job instead ({@link BarrierSegment}): the meta-batch of each step
 * is sliced over {@code min(partitions, task slots)} barrier tasks that all-reduce their exact sums through the driver
 * and each take the same outer step, so a step costs no Spark job of its own. Per-step jobs remain for one-step segments, for
 * {@code steps_per_job: 1}, under dynamic allocation (which barrier mode does not support) and while no executor has
 * registered yet.
 */
public final class SparkTaskRunner implements TaskRunner {
    /** Spark property: the driver port barrier tasks send their sums to (default 0: any free port). */
    public static final String ALLREDUCE_PORT = "spark.metaspark.allreduce.port";
    /** How long a barrier task may stay silent before its stage fails (a Spark time string; tasks beat 4x as often). */
    public static final String ALLREDUCE_TIMEOUT = "spark.metaspark.allreduce.timeout";
    private static final int TREE_DEPTH = 2;
    private final JavaSparkContext sc;
    private final Broadcast<Experiment> experiment;
    private final String runKey = java.util.UUID.randomUUID().toString();
    private final int partitions;
    private final boolean ownsContext;

    /**
     * @param experiment the experiment (broadcast once; each executor JVM deserializes it once and validates nothing again)
     * @param partitions Spark tasks per meta-step (at most one per task spec)
     */
    public SparkTaskRunner(JavaSparkContext sc, Experiment experiment, int partitions) {
        this(sc, experiment, partitions, false);
    }

    private SparkTaskRunner(JavaSparkContext sc, Experiment experiment, int partitions, boolean ownsContext) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        this.sc = sc;
        this.experiment = sc.broadcast(experiment);
        this.partitions = partitions;
        this.ownsContext = ownsContext;
    }

    /**
     * Starts Spark for {@code experiment} on {@code master} (null: spark-submit's master, else embedded
     * {@code local[*]}); the runner stops the context when closed.
     */
    public static SparkTaskRunner start(String master, Experiment experiment) {
        JavaSparkContext sc = SparkRuntime.start(SparkRuntime.conf(master, "metaspark " + experiment.spec().name()));
        try {
            int partitions = experiment.execution().partitions();
            int p = partitions > 0 ? partitions : sc.defaultParallelism();
            return new SparkTaskRunner(sc, experiment, Math.min(p, experiment.metaBatch()), true);
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

    /** The Spark context the runner works on (DL4J Spark's training shares it). */
    public JavaSparkContext context() {
        return sc;
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
        Broadcast<Experiment> shared = experiment;
        String key = runKey;
        int size = meta.length;
        try {
            return slices(specs).mapPartitions((Iterator<TaskSpec> it) -> {
                List<TaskSpec> mine = new ArrayList<>();
                it.forEachRemaining(mine::add);
                MetaGradientAccumulator acc = new MetaGradientAccumulator(size);
                for (TaskOutcome outcome : Worker.of(key, shared).adaptAll(theta.value(), mine)) acc.add(outcome);
                acc.flush(); // on the executor, rather than in the merges
                return List.of(acc).iterator();
            }).treeReduce(MetaGradientAccumulator::merge, TREE_DEPTH);
        } catch (Exception e) { // SparkException is a checked exception thrown undeclared
            throw unwrapDivergence(e);
        } finally {
            theta.destroy();
        }
    }

    @Override
    public Segment train(Experiment experiment, int from, int to, double[] meta, double[] optimizerState) {
        sc.setJobDescription(to - from == 1 ? "meta-step " + to : "meta-steps " + (from + 1) + "-" + to);
        int tasks = barrierTasks(experiment);
        if (to - from == 1 || tasks < 1) return TaskRunner.super.train(experiment, from, to, meta, optimizerState);
        Broadcast<double[][]> start = sc.broadcast(new double[][]{meta, optimizerState});
        String host = sc.getConf().get("spark.driver.host");
        int timeoutMs = (int) sc.getConf().getTimeAsMs(ALLREDUCE_TIMEOUT, "60s");
        try (AllReduceServer sums = new AllReduceServer(sc.getConf().get("spark.driver.bindAddress", host),
                sc.getConf().getInt(ALLREDUCE_PORT, 0), tasks, meta.length, sc.env().serializer(), timeoutMs,
                sc.env().securityManager().getSecretKey(), Tls.of(sc.getConf()))) {
            RDD<Integer> ids = sc.parallelize(IntStream.range(0, tasks).boxed().collect(Collectors.toList()), tasks).rdd();
            BarrierSegment segment = new BarrierSegment(runKey, this.experiment, start, from, to,
                    InetSocketAddress.createUnresolved(host, sums.port()), sums.key(), timeoutMs / 4);
            RDD<Integer> none = ids.barrier().mapPartitions(segment, false, ClassTag$.MODULE$.apply(Integer.class));
            // the shuffle makes the barrier stage a shuffle-map stage: Spark re-runs a failed one, not a result stage
            none.toJavaRDD().repartition(1).count();
            return BarrierSegment.decode(sums.outcome());
        } catch (Exception e) { // SparkException is a checked exception thrown undeclared
            throw unwrapDivergence(e);
        } finally {
            start.destroy();
        }
    }

    /** Barrier tasks for a segment: 0 when segments must run step by step. */
    private int barrierTasks(Experiment experiment) {
        if (experiment.execution().stepsPerJob() == 1 || sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return 0;
        }
        int slots = sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
        return Math.min(Math.min(partitions, experiment.metaBatch()), slots);
    }

    /**
     * A divergence inside a Spark task as the exception it was ({@link DivergedException}, or the
     * {@link ArithmeticException} of a sum that the outer loop turns into one), anything else unchanged.
     */
    private static RuntimeException unwrapDivergence(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DivergedException || t instanceof ArithmeticException) return (RuntimeException) t;
        }
        return SparkTaskRunner.<RuntimeException>rethrow(e);
    }

    /** Throws {@code e} as it is (Scala code throws checked exceptions such as SparkException undeclared). */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }

    @Override
    public List<TaskEvaluation> evaluate(double[] meta, List<TaskSpec> specs) {
        if (!specs.isEmpty()) sc.setJobDescription(specs.get(0).split().name().toLowerCase(Locale.ROOT) + ": " + specs.size() + " tasks");
        Broadcast<double[]> theta = sc.broadcast(meta);
        Broadcast<Experiment> shared = experiment;
        String key = runKey;
        try {
            return slices(specs).mapPartitions((Iterator<TaskSpec> it) -> {
                Worker w = Worker.of(key, shared);
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

    /** Destroys the experiment broadcast, and stops the context if this runner started it. */
    @Override
    public void close() {
        experiment.destroy();
        if (ownsContext) sc.stop();
    }
}
