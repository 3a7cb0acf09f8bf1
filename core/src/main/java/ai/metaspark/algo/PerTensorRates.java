package ai.metaspark.algo;

import ai.metaspark.model.SliceLearner;
import ai.metaspark.model.ParamGroup;

import java.util.Arrays;
import java.util.List;

/**
 * MAML++'s inner rates (Antoniou, Edwards and Storkey 2019, "How to train your MAML", section 4 "LSLR"): one rate per
 * parameter tensor ({@link ParamGroup}, G of them) and inner step. With {@code learned} (LSLR) the k x G rates are
 * meta-parameters at {@code offset}, starting at {@code inner_lr}; without, every tensor steps at {@code inner_lr}.
 * With {@code frozenBatchNorm} (per-step batch norm, {@link StepBatchNorm}) the batch-norm tensors' rate is 0: the inner
 * loop does not adapt them, the outer loop learns each step's copy.
 */
final class PerTensorRates implements InnerRule {
    private static final long serialVersionUID = 1L;
    private final ParamGroup[] groups;
    private final int numParams;
    private final int steps;
    private final double innerLr;
    private final boolean learned;
    private final boolean frozenBatchNorm;
    private final int offset;

    /** @param offset where the learned rates start in the meta-parameters (after the network and its batch-norm copies) */
    PerTensorRates(List<ParamGroup> groups, int numParams, int steps, double innerLr, boolean learned,
                   boolean frozenBatchNorm, int offset) {
        this.groups = groups.toArray(new ParamGroup[0]);
        this.numParams = numParams;
        this.steps = steps;
        this.innerLr = innerLr;
        this.learned = learned;
        this.frozenBatchNorm = frozenBatchNorm;
        this.offset = offset;
    }

    @Override
    public int extraLength() {
        return learned ? steps * groups.length : 0;
    }

    @Override
    public void initialize(double[] meta) {
        if (learned) Arrays.fill(meta, offset, offset + extraLength(), innerLr);
    }

    @Override
    public InnerSgd step(double[] meta, int j) {
        int s = Math.min(j, steps - 1);
        double[] rates = new double[numParams];
        for (int g = 0; g < groups.length; g++) {
            Arrays.fill(rates, groups[g].offset(), groups[g].end(), rate(meta, s, g));
        }
        return InnerSgd.perParameter(rates);
    }

    private double rate(double[] meta, int step, int g) {
        if (frozen(g)) return 0;
        return learned ? meta[offset + step * groups.length + g] : innerLr;
    }

    private boolean frozen(int g) {
        return frozenBatchNorm && groups[g].batchNorm();
    }

    /** {@code dL/dalpha_{j,g} = -sum_{k in g} grad[k] v[k]}. */
    @Override
    public void creditRates(double[] grad, double[] v, int j, double[] out) {
        if (!learned) return;
        for (int g = 0; g < groups.length; g++) {
            if (frozen(g)) continue;
            double s = 0;
            for (int k = groups[g].offset(); k < groups[g].end(); k++) s += grad[k] * v[k];
            out[offset + j * groups.length + g] -= s;
        }
    }

    /**
     * Without learned rates every adapted tensor steps at {@code inner_lr} and v's frozen batch-norm part is already 0
     * ({@link StepBatchNorm#credit} moved it to the step's copy), so {@code H (alpha . v) = inner_lr H v}.
     */
    @Override
    public void backThrough(SliceLearner learner, int stage, InnerSgd step, double[][] v, double[][] hv) {
        if (learned) {
            InnerRule.super.backThrough(learner, stage, step, v, hv);
        } else {
            InnerRule.sgd(innerLr).backThrough(learner, stage, step, v, hv);
        }
    }
}
