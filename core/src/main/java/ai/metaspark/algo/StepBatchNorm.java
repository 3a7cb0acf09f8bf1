package ai.metaspark.algo;

import ai.metaspark.model.NetworkSpec;
import ai.metaspark.model.ParamGroup;

import java.io.Serializable;

/**
 * MAML++'s per-step batch norm (Antoniou, Edwards and Storkey 2019, section 4 "BNWB"), an option of the network: at inner
 * step j ({@code j = 0..k}: before the first step, after each one) the network runs with its own batch-norm gamma and
 * beta, step 0 with those inside theta, steps 1..k with their own copies (B values each, right after the network's
 * parameters in the meta-vector, all starting equal to theta's). {@link #none()} runs every step with theta's.
 *
 * <p>Batch norm always normalizes with the task batch's own statistics (transductive, as MAML's and MAML++'s reference
 * code do: both call batch norm in training mode at meta-test too). MAML++'s per-step <i>running</i> statistics are
 * therefore never read by the forward pass, and are not kept; the per-step weights and biases are what changes.
 */
final class StepBatchNorm implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final StepBatchNorm NONE = new StepBatchNorm(new ParamGroup[0], 0, 0);
    private final ParamGroup[] bn;
    private final int numParams;
    private final int steps;
    private final int size;

    private StepBatchNorm(ParamGroup[] bn, int numParams, int steps) {
        this.bn = bn;
        this.numParams = numParams;
        this.steps = steps;
        int s = 0;
        for (ParamGroup g : bn) s += g.length();
        this.size = s;
    }

    /** Every step runs with theta's batch norm. */
    static StepBatchNorm none() {
        return NONE;
    }

    /** One copy of {@code net}'s batch-norm parameters for each of {@code steps} inner steps. */
    static StepBatchNorm of(NetworkSpec net, int steps) {
        ParamGroup[] bn = net.paramGroups().stream().filter(ParamGroup::batchNorm).toArray(ParamGroup[]::new);
        if (bn.length == 0) {
            throw new IllegalArgumentException("per-step batch norm needs a network with batch norm (conv4), not " + net.paramGroups());
        }
        return new StepBatchNorm(bn, net.numParams(), steps);
    }

    /** Values after the network's parameters in the meta-vector. */
    int extraLength() {
        return steps * size;
    }

    /** Writes the copies, equal to theta's batch norm, into {@code meta}. */
    void initialize(double[] meta) {
        for (int j = 1; j <= steps; j++) {
            int at = offset(j);
            for (ParamGroup g : bn) {
                System.arraycopy(meta, g.offset(), meta, at, g.length());
                at += g.length();
            }
        }
    }

    /** The parameters the network runs with at inner step {@code j}: {@code u} with step j's batch norm. */
    double[] forward(double[] meta, double[] u, int j) {
        if (size == 0 || j == 0) return u;
        double[] p = u.clone();
        int at = offset(Math.min(j, steps));
        for (ParamGroup g : bn) {
            System.arraycopy(meta, at, p, g.offset(), g.length());
            at += g.length();
        }
        return p;
    }

    /**
     * Backward through {@link #forward} at step {@code j >= 1}: moves the batch-norm part of {@code v} (the gradient
     * with respect to the step's parameters) into that step's copy in {@code out}, leaving 0 in {@code v}.
     */
    void credit(double[] v, int j, double[] out) {
        if (size == 0 || j == 0) return;
        int at = offset(j);
        for (ParamGroup g : bn) {
            for (int k = g.offset(); k < g.end(); k++, at++) {
                out[at] += v[k];
                v[k] = 0;
            }
        }
    }

    private int offset(int j) {
        return numParams + (j - 1) * size;
    }
}
