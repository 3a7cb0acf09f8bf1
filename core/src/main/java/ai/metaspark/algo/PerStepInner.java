package ai.metaspark.algo;

import ai.metaspark.model.NetworkSpec;
import ai.metaspark.model.ParamGroup;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * MAML++'s per-step inner-loop parameters (Antoniou, Edwards and Storkey 2019, "How to train your MAML", sections 4
 * "LSLR" and "BNWB/BNRS"), learned with the network. They follow the network's {@code P} parameters in the
 * meta-vector: {@code [theta (P) | batch-norm gamma and beta of inner steps 1..k (k x B) | inner rates (k x G)]}.
 * <ul>
 *   <li><b>LSLR</b> ({@code lslr}): one inner learning rate per parameter tensor ({@link ParamGroup}, G of them) and
 *       inner step, starting at {@code inner_lr}. Inner step j is {@code theta_{j+1} = theta_j - alpha_j . grad}, with
 *       {@code alpha_j} the step's rate of each parameter's tensor.</li>
 *   <li><b>per-step batch norm</b> ({@code per_step_bn}): the network at inner step j ({@code j = 0..k}, before the
 *       first step, after each one) uses its own batch-norm gamma and beta (B values): step 0 those inside theta, steps
 *       1..k their own copies, all starting equal. The inner loop does not adapt them (their inner rate is 0); the
 *       outer loop learns each copy.</li>
 * </ul>
 * Meta-test runs with more inner steps than k reuse step k-1's rates and step k's batch-norm parameters.
 *
 * <p>Batch norm always normalizes with the task batch's own statistics (transductive, as MAML's and MAML++'s reference
 * code do: both call batch norm in training mode at meta-test too). MAML++'s per-step <i>running</i> statistics are
 * therefore never read by the forward pass, and are not kept; the per-step weights and biases are what changes.
 *
 * <p>With both options off this adds nothing: {@link #extraLength()} is 0 and the inner step is plain SGD at
 * {@code inner_lr}, bit for bit.
 */
final class PerStepInner implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int numParams;
    private final int steps;
    private final double innerLr;
    private final boolean lslr;
    private final boolean perStepBn;
    private final ParamGroup[] groups;
    private final ParamGroup[] bn;
    private final int bnSize;

    private PerStepInner(int numParams, int steps, double innerLr, boolean lslr, boolean perStepBn, List<ParamGroup> groups) {
        this.numParams = numParams;
        this.steps = steps;
        this.innerLr = innerLr;
        this.lslr = lslr;
        this.perStepBn = perStepBn;
        this.groups = groups.toArray(new ParamGroup[0]);
        this.bn = groups.stream().filter(ParamGroup::batchNorm).toArray(ParamGroup[]::new);
        this.bnSize = Arrays.stream(bn).mapToInt(ParamGroup::length).sum();
        if (perStepBn && bnSize == 0) {
            throw new IllegalArgumentException("per-step batch norm needs a network with batch norm (conv4), not " + groups);
        }
    }

    /** Plain SGD at {@code innerLr} (no per-step parameters). */
    static PerStepInner none(int steps, double innerLr) {
        return new PerStepInner(0, steps, innerLr, false, false, List.of());
    }

    /** The options for {@code net} with {@code steps} inner steps ({@code net} may be null when both are off). */
    static PerStepInner of(NetworkSpec net, int steps, double innerLr, boolean lslr, boolean perStepBn) {
        if (!lslr && !perStepBn) return none(steps, innerLr);
        if (net == null) throw new IllegalArgumentException("lslr and per_step_bn need the network (its layers)");
        return new PerStepInner(net.numParams(), steps, innerLr, lslr, perStepBn, net.paramGroups());
    }

    boolean active() {
        return lslr || perStepBn;
    }

    boolean lslr() {
        return lslr;
    }

    /** Values after the network's parameters in the meta-vector. */
    int extraLength() {
        return (perStepBn ? steps * bnSize : 0) + (lslr ? steps * groups.length : 0);
    }

    /** theta followed by the batch-norm copies (equal to theta's) and the rates ({@code inner_lr}). */
    double[] initialize(double[] theta) {
        double[] meta = Arrays.copyOf(theta, theta.length + extraLength());
        if (!active()) return meta;
        for (int j = 1; j <= steps && perStepBn; j++) {
            int at = bnOffset(j);
            for (ParamGroup g : bn) {
                System.arraycopy(theta, g.offset(), meta, at, g.length());
                at += g.length();
            }
        }
        if (lslr) Arrays.fill(meta, rateOffset(0), meta.length, innerLr);
        return meta;
    }

    /** The inner step {@code j}: plain SGD at {@code inner_lr}, or per parameter the rate of its tensor at step j. */
    InnerSgd inner(double[] meta, int j) {
        if (!active()) return InnerSgd.uniform(innerLr);
        int s = Math.min(j, steps - 1);
        double[] rates = new double[numParams];
        for (int g = 0; g < groups.length; g++) {
            double r = groups[g].batchNorm() && perStepBn ? 0 : lslr ? meta[rateOffset(s) + g] : innerLr;
            Arrays.fill(rates, groups[g].offset(), groups[g].end(), r);
        }
        return InnerSgd.perParameter(rates);
    }

    /** The parameters the network runs with at inner step {@code j}: {@code u} with step j's batch norm. */
    double[] forward(double[] meta, double[] u, int j) {
        if (!perStepBn || j == 0) return u;
        double[] p = u.clone();
        int at = bnOffset(Math.min(j, steps));
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
    void creditBatchNorm(double[] v, int j, double[] out) {
        if (!perStepBn || j == 0) return;
        int at = bnOffset(j);
        for (ParamGroup g : bn) {
            for (int k = g.offset(); k < g.end(); k++, at++) {
                out[at] += v[k];
                v[k] = 0;
            }
        }
    }

    /** LSLR: {@code dL/dalpha_{j,g} = -sum_{k in g} grad_j[k] v[k]}, {@code v = dL/dtheta_{j+1}}, into {@code out}. */
    void creditRates(double[] grad, double[] v, int j, double[] out) {
        if (!lslr) return;
        for (int g = 0; g < groups.length; g++) {
            if (groups[g].batchNorm() && perStepBn) continue;
            double s = 0;
            for (int k = groups[g].offset(); k < groups[g].end(); k++) s += grad[k] * v[k];
            out[rateOffset(j) + g] -= s;
        }
    }

    private int bnOffset(int j) {
        return numParams + (j - 1) * bnSize;
    }

    private int rateOffset(int j) {
        return numParams + (perStepBn ? steps * bnSize : 0) + j * groups.length;
    }
}
