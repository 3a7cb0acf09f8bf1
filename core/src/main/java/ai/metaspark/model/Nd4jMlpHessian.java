package ai.metaspark.model;

import ai.metaspark.task.Batch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact Hessian-vector product of an {@link MlpModel}'s mean loss, on ND4J operations (float64): Pearlmutter's
 * R-operator, the same equations as {@link MlpLearner}'s loops, as matrix products and whole-array operations, so it
 * runs wherever ND4J runs (a GPU with ND4J's CUDA backend). {@link Dl4jLearner} uses it.
 *
 * <p>Per layer l, with {@code z_l = a_{l-1} W_l + b_l}, {@code a_l = f(z_l)} (identity at the output), direction
 * {@code (V_l, c_l)} and backward quantities {@code d_l} (the loss gradient at {@code z_l}), {@code e_{l-1} = d_l W_l'}:
 * {@code R z_l = a_{l-1} V_l + c_l + R a_{l-1} W_l}, {@code R a_l = f'(z_l) R z_l}; at the output
 * {@code R d_L = 2 R z_L / m} (MSE over m values) or {@code p (R z_L - rowsum(p R z_L)) / n} (softmax
 * cross-entropy); then {@code H_W = R a_{l-1}' d_l + a_{l-1}' R d_l}, {@code H_b = colsum(R d_l)} and
 * {@code R d_{l-1} = f'(z) (d_l V_l' + R d_l W_l') + f''(z) R z_{l-1} e_{l-1}}.
 */
final class Nd4jMlpHessian {
    private final MlpModel spec;
    private final int[] size;
    private final int layers;
    /** Where layer l's weights start in the flat vector (its bias follows them). */
    private final int[] offset;

    Nd4jMlpHessian(MlpModel spec) {
        this.spec = spec;
        this.size = spec.sizes();
        this.layers = size.length - 1;
        this.offset = new int[layers + 1];
        for (int l = 2; l <= layers; l++) offset[l] = offset[l - 1] + size[l - 2] * size[l - 1] + size[l - 1];
    }

    /** Writes {@code H v} at {@code params} on {@code data} into {@code out}. */
    void hessianVector(double[] params, Batch data, double[] v, double[] out) {
        int n = data.n();
        INDArray[] w = new INDArray[layers + 1];
        INDArray[] vw = new INDArray[layers + 1];
        INDArray[] z = new INDArray[layers + 1];
        INDArray[] a = new INDArray[layers + 1];
        INDArray[] rz = new INDArray[layers + 1];
        INDArray[] ra = new INDArray[layers + 1];
        a[0] = Nd4j.createFromArray(data.x()).reshape('c', n, size[0]);
        ra[0] = Nd4j.zerosLike(a[0]);
        for (int l = 1; l <= layers; l++) {
            w[l] = weights(params, l);
            vw[l] = weights(v, l);
            z[l] = a[l - 1].mmul(w[l]).addiRowVector(bias(params, l));
            a[l] = l == layers ? z[l] : activate(z[l]);
            rz[l] = a[l - 1].mmul(vw[l]).addiRowVector(bias(v, l));
            if (l > 1) rz[l].addi(ra[l - 1].mmul(w[l]));
            ra[l] = l == layers ? rz[l] : d1(z[l], a[l]).muli(rz[l]);
        }
        INDArray y = Nd4j.createFromArray(data.y()).reshape('c', n, size[layers]);
        INDArray p = spec.classifier() ? softmax(a[layers]) : null;
        INDArray d = outputDelta(a[layers], p, y, n);
        INDArray rd = outputRDelta(a[layers], p, ra[layers], n);
        for (int l = layers; l >= 1; l--) {
            put(out, offset[l], ra[l - 1].transpose().mmul(d).addi(a[l - 1].transpose().mmul(rd)), 'f');
            put(out, offset[l] + size[l - 1] * size[l], rd.sum(0), 'c');
            if (l > 1) {
                INDArray e = d.mmul(w[l].transpose());
                INDArray re = d.mmul(vw[l].transpose()).addi(rd.mmul(w[l].transpose()));
                INDArray f1 = d1(z[l - 1], a[l - 1]);
                rd = f1.mul(re).addi(d2(a[l - 1]).muli(rz[l - 1]).muli(e));
                d = f1.muli(e);
            }
        }
    }

    /** W_l: DL4J's layout, [nIn, nOut] column-major. */
    private INDArray weights(double[] p, int l) {
        int off = offset[l];
        return Nd4j.createFromArray(java.util.Arrays.copyOfRange(p, off, off + size[l - 1] * size[l])).reshape('f', size[l - 1], size[l]);
    }

    private INDArray bias(double[] p, int l) {
        int b = offset[l] + size[l - 1] * size[l];
        return Nd4j.createFromArray(java.util.Arrays.copyOfRange(p, b, b + size[l])).reshape(1, size[l]);
    }

    private INDArray activate(INDArray z) {
        return spec.activation() == Activation.RELU ? Transforms.relu(z, true) : Transforms.tanh(z, true);
    }

    /** f'(z): [z > 0] for ReLU, 1 - a^2 for tanh. */
    private INDArray d1(INDArray z, INDArray a) {
        return spec.activation() == Activation.RELU ? z.gt(0).castTo(z.dataType()) : a.mul(a).rsubi(1);
    }

    /** f''(z): 0 for ReLU, -2 a (1 - a^2) for tanh. */
    private INDArray d2(INDArray a) {
        return spec.activation() == Activation.RELU ? Nd4j.zerosLike(a) : a.mul(a).rsubi(1).muli(a).muli(-2);
    }

    /** The loss gradient at the output's z: {@code 2 (out - y) / m} (MSE) or {@code (p - y) / n}, p the softmax (classifier). */
    private static INDArray outputDelta(INDArray out, INDArray p, INDArray y, int n) {
        if (p == null) return out.sub(y).muli(2.0 / out.length());
        return p.sub(y).divi(n);
    }

    private static INDArray outputRDelta(INDArray out, INDArray p, INDArray rOut, int n) {
        if (p == null) return rOut.mul(2.0 / out.length());
        INDArray dot = p.mul(rOut).sum(true, 1);
        return p.mul(rOut.subColumnVector(dot)).divi(n);
    }

    private static INDArray softmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray e = Transforms.exp(shifted, true);
        return e.diviColumnVector(e.sum(true, 1));
    }

    private static void put(double[] out, int off, INDArray a, char order) {
        double[] values = a.dup(order).data().asDouble();
        System.arraycopy(values, 0, out, off, values.length);
    }
}
