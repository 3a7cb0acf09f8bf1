package ai.metaspark.spark;

import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.DivergedException;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.OuterLoop;
import ai.metaspark.train.Segment;
import ai.metaspark.train.TaskRunner;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    private static final byte OK = 0;
    private static final byte DIVERGED = 1;
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
        byte[] result;
        try (AllReduceServer.Client sums = new AllReduceServer.Client(driver, token, ctx.stageAttemptNumber(), me)) {
            Segment s = OuterLoop.run(w.experiment(), from, to, start.value(), optimizerState, (meta, specs) -> {
                MetaGradientAccumulator mine = new MetaGradientAccumulator(meta.length);
                try {
                    for (TaskSpec spec : TaskRunner.slice(specs, me, tasks)) {
                        FaultInjection.maybeFail(spec);
                        mine.add(w.adapt(meta, spec));
                    }
                } catch (ArithmeticException e) {
                    return sums.reduceFailed(e.getMessage()); // every task then throws it: all stop at this step
                }
                return sums.reduce(mine);
            });
            result = withStatus(OK, s.toBytes());
        } catch (DivergedException e) {
            // deterministic: a re-run would diverge again, so it is a result, not a task failure
            result = withStatus(DIVERGED, e.getMessage().getBytes(StandardCharsets.UTF_8));
        }
        List<byte[]> out = me == 0 ? List.of(result) : List.of();
        return JavaConverters.asScalaIterator(out.iterator());
    }

    /** The segment task 0 sent back, or the divergence every task met. */
    static Segment decode(byte[] result) {
        byte[] body = Arrays.copyOfRange(result, 1, result.length);
        if (result[0] == DIVERGED) throw new DivergedException(new String(body, StandardCharsets.UTF_8), null);
        return Segment.fromBytes(body);
    }

    private static byte[] withStatus(byte status, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = status;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
