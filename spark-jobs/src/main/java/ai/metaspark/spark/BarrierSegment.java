package ai.metaspark.spark;

import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.spark.allreduce.AllReduceClient;
import ai.metaspark.spark.allreduce.AllReduceServer;
import ai.metaspark.spark.allreduce.Tls;
import ai.metaspark.train.DivergedException;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.OuterLoop;
import ai.metaspark.train.Segment;
import ai.metaspark.train.TaskRunner;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.Collections;

/**
 * One Spark barrier task of a multi-step segment. Every task of the stage runs the whole {@link OuterLoop} from the
 * same start state: per step it adapts its contiguous slice of the meta-batch, sends its exact partial sum to the
 * driver's {@link AllReduceServer} and gets back the sum over all tasks, so every task takes the same outer step with
 * the same bits and the next step needs no new job. At the end task 0 sends the segment's outcome to the driver on the
 * same connection; the tasks themselves return nothing. The start state (meta-parameters and optimizer state) comes as
 * one broadcast, which keeps the task small. Barrier mode starts all tasks together (none waits for a slot while the
 * others wait for it) and, when one fails, re-runs them all from the start state, which changes nothing.
 */
final class BarrierSegment extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String runKey;
    private final Broadcast<Experiment> experiment;
    private final Broadcast<double[][]> start;
    private final int from;
    private final int to;
    private final InetSocketAddress driver;
    private final byte[] key;
    private final int heartbeatMs;

    /** @param start the meta-parameters and the optimizer state at step {@code from} */
    BarrierSegment(String runKey, Broadcast<Experiment> experiment, Broadcast<double[][]> start, int from, int to, InetSocketAddress driver,
                   byte[] key, int heartbeatMs) {
        this.runKey = runKey;
        this.experiment = experiment;
        this.start = start;
        this.from = from;
        this.to = to;
        this.driver = driver;
        this.key = key;
        this.heartbeatMs = heartbeatMs;
    }

    /** Runs the segment in the calling barrier task; task 0 sends the outcome to the driver. Returns nothing. */
    @Override
    public Iterator<Integer> apply(Iterator<Integer> ignored) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int me = ctx.partitionId();
        try (AllReduceClient sums = new AllReduceClient(driver, key, SparkEnv.get().securityManager().getSecretKey(),
                Tls.of(SparkEnv.get().conf()), ctx.stageAttemptNumber(), me,
                SparkEnv.get().serializer(), heartbeatMs)) {
            Object outcome = run(sums, me, ctx.getTaskInfos().length);
            if (me == 0) sums.finish(outcome);
        }
        return JavaConverters.asScalaIterator(Collections.<Integer>emptyIterator());
    }

    /** The segment's outcome: the {@link Segment}, or the divergence message (a String). */
    private Object run(AllReduceClient sums, int me, int tasks) {
        Worker w = Worker.of(runKey, experiment);
        double[][] state = start.value();
        try {
            Segment s = OuterLoop.run(w.experiment(), from, to, state[0], state[1], (meta, specs) -> {
                MetaGradientAccumulator mine = new MetaGradientAccumulator(meta.length);
                try {
                    for (TaskOutcome outcome : w.adaptAll(meta, TaskRunner.slice(specs, me, tasks))) {
                        mine.add(outcome);
                    }
                } catch (ArithmeticException e) {
                    return sums.reduceFailed(e.getMessage()); // every task then throws it: all stop at this step
                }
                return sums.reduce(mine);
            });
            return s;
        } catch (DivergedException e) {
            // deterministic: a re-run would diverge again, so it is an outcome, not a task failure
            return e.getMessage();
        }
    }

    /** The segment task 0 sent, or the divergence every task met. */
    static Segment decode(Object outcome) {
        if (outcome instanceof String message) throw new DivergedException(message, null);
        return (Segment) outcome;
    }
}
