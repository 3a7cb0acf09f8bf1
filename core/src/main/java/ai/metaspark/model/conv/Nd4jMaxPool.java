package ai.metaspark.model.conv;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The POOL Conv-4's 2x2 max-pool (stride 2, floor, NCHW) on libnd4j's {@code maxpool2d}, {@code maxpool2d_bp} and
 * {@code avgpool2d}, for {@link Nd4jConv4Net}: forward, backward and R. Each image is pooled on its own, so images of
 * different tasks can share a call.
 */
final class Nd4jMaxPool {
    private Nd4jMaxPool() {
    }

    /** Each 2x2 window's maximum. */
    static INDArray forward(INDArray in) {
        return pool("maxpool2d", in);
    }

    /** Max-pool's backward at {@code a}: {@code gOut} to each window's maximum (the first, on ties), zero elsewhere. */
    static INDArray backward(INDArray a, INDArray gOut) {
        INDArray gIn = a.ulike();
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(a, gOut).addOutputs(gIn).addIntegerArguments(args()).build());
        return gIn;
    }

    /** R of max-pool's output: R of its input at each window's maximum (the mask max-pool's backward draws, summed). */
    static INDArray r(INDArray a, INDArray ra) {
        INDArray argmax = backward(a, Nd4j.ones(DataType.FLOAT, a.size(0), a.size(1), a.size(2) / 2, a.size(3) / 2));
        return pool("avgpool2d", argmax.muli(ra)).muli(4);
    }

    private static INDArray pool(String op, INDArray in) {
        INDArray out = Nd4j.create(DataType.FLOAT, in.size(0), in.size(1), in.size(2) / 2, in.size(3) / 2);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addOutputs(out).addIntegerArguments(args()).build());
        return out;
    }

    private static int[] args() {
        return new int[] {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0}; // 2x2, stride 2, floor, NCHW
    }
}
