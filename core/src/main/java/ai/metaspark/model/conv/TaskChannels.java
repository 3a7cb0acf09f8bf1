package ai.metaspark.model.conv;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-task, per-channel arithmetic on the {@code [T n, C, h, w]} activations of T tasks side by side
 * ({@link Nd4jConv4Net}): each task's batch statistics over its own n images, and {@code [T, C]} values broadcast
 * over each task's images and positions.
 */
final class TaskChannels {
    private final int tasks;

    TaskChannels(int tasks) {
        this.tasks = tasks;
    }

    /** {@code [T n, C, h, w]} viewed as {@code [T, n, C, h w]}: one slab per task, for its batch statistics. */
    INDArray view(INDArray a) {
        return a.reshape('c', tasks, a.size(0) / tasks, a.size(1), a.size(2) * a.size(3));
    }

    /** Per task and channel: the mean over the task's images and positions, {@code [T, C]}. */
    INDArray means(INDArray a) {
        return view(a).mean(1, 3);
    }

    /** Per task and channel: the sum over the task's images and positions, {@code [T, C]}. */
    INDArray sums(INDArray a) {
        return view(a).sum(1, 3);
    }

    /** {@code a} minus its per-task, per-channel mean; a new array. */
    INDArray centered(INDArray a) {
        return shift(a, means(a).neg());
    }

    /** {@code a * c} with {@code c [T, C]} broadcast over each task's images and positions; a new array. */
    INDArray scale(INDArray a, INDArray c) {
        INDArray out = a.ulike();
        Nd4j.exec(new MulOp(view(a), broadcastable(c), view(out)));
        return out;
    }

    /** {@code a + c} with {@code c [T, C]} broadcast over each task's images and positions; a new array. */
    INDArray shift(INDArray a, INDArray c) {
        INDArray out = a.ulike();
        Nd4j.exec(new AddOp(view(a), broadcastable(c), view(out)));
        return out;
    }

    /** {@code [T, C]} as {@code [T, 1, C, 1]}, to broadcast over a {@link #view} view. */
    private static INDArray broadcastable(INDArray c) {
        return c.reshape('c', c.size(0), 1, c.size(1), 1);
    }
}
