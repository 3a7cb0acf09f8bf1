package ai.metaspark.spark;

import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.OuterLoop;
import ai.metaspark.train.Segment;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One Spark barrier task of a multi-step segment. Every task of the stage runs the whole {@link OuterLoop} from the
 * same start state: per step it adapts its contiguous slice of the meta-batch, sends its exact partial sum to the
 * driver's {@link AllReduceServer} and gets back the sum over all tasks, so every task takes the same outer step with
 * the same bits and the next step needs no new job. Task 0 returns the segment; the others return nothing. Barrier
 * mode starts all tasks together (none waits for a slot while the others wait for it) and, when one fails, re-runs
 * them all from the start state, which changes nothing.
 */
final class BarrierSegment extends AbstractFunction1<Iterator<Integer>, Iterator<byte[]>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<String> config;
    private final Broadcast<double[]> start;
    private final double[] optimizerState;
    private final int from;
    private final int to;
    private final InetSocketAddress driver;
    private final long token;

    BarrierSegment(Broadcast<String> config, Broadcast<double[]> start, double[] optimizerState, int from, int to,
                   InetSocketAddress driver, long token) {
        this.config = config;
        this.start = start;
        this.optimizerState = optimizerState;
        this.from = from;
        this.to = to;
        this.driver = driver;
        this.token = token;
    }

    /** Runs the segment in the calling barrier task: the segment's bytes from task 0, nothing from the others. */
    @Override
    public Iterator<byte[]> apply(Iterator<Integer> ignored) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int tasks = ctx.getTaskInfos().length;
        int me = ctx.partitionId();
        Worker w = Worker.of(config.value());
        Segment s;
        try (AllReduceServer.Client sums = new AllReduceServer.Client(driver, token, ctx.stageAttemptNumber(), me)) {
            s = OuterLoop.run(w.experiment(), from, to, start.value(), optimizerState, (meta, specs) -> {
                MetaGradientAccumulator mine = new MetaGradientAccumulator(meta.length);
                for (TaskSpec spec : slice(specs, me, tasks)) {
                    FaultInjection.maybeFail(spec);
                    mine.add(w.adapt(meta, spec));
                }
                return sums.reduce(mine);
            });
        }
        List<byte[]> out = me == 0 ? List.of(s.toBytes()) : List.of();
        return JavaConverters.asScalaIterator(out.iterator());
    }

    /** Slice {@code i} of {@code n} contiguous, order-preserving slices (as Spark's {@code parallelize} cuts). */
    static List<TaskSpec> slice(List<TaskSpec> specs, int i, int n) {
        return specs.subList((int) ((long) i * specs.size() / n), (int) ((long) (i + 1) * specs.size() / n));
    }
}
