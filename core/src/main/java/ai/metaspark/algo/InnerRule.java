package ai.metaspark.algo;

import ai.metaspark.model.SliceLearner;

import java.io.Serializable;

/**
 * The inner-loop update of {@link Maml} and the meta-gradient's way back through it: the strategy that tells plain
 * MAML (one fixed rate, {@link #sgd}), Meta-SGD (one learned rate per parameter, {@link #perParameter}) and MAML++'s
 * LSLR (one learned rate per tensor and step, {@link PerTensorRates}) apart. Step j is
 * {@code u_{j+1} = u_j - alpha_j . grad L_S(p_j)}; backward, with {@code v = dL/du_{j+1}}, the rates get
 * {@code dL/dalpha_j = -grad L_S(p_j) . v} (summed over the parameters that share a rate) and then
 * {@code v <- v - H_S(p_j) (alpha_j . v)}.
 */
interface InnerRule extends Serializable {
    /** How many learned rates the rule appends to the meta-parameters (0 for a fixed rate). */
    int extraLength();

    /** Writes the rule's initial rates into {@code meta} (which holds the network's parameters first). */
    void initialize(double[] meta);

    /** The update of inner step {@code j}; meta-test steps past the trained ones reuse the last step's rates. */
    InnerSgd step(double[] meta, int j);

    /** Adds {@code dL/dalpha_j} for the support gradient {@code grad} at p_j and {@code v = dL/du_{j+1}} into {@code out}. */
    void creditRates(double[] grad, double[] v, int j, double[] out);

    /**
     * {@code v[t] <- v[t] - H_S(p_j) (alpha_j . v[t])} for each task of a slice, H at the learner's kept support passes
     * of {@code stage} (at p_j), where {@code step} is step j's update ({@code hv} is scratch).
     */
    default void backThrough(SliceLearner learner, int stage, InnerSgd step, double[][] v, double[][] hv) {
        double[][] scaled = new double[v.length][];
        for (int t = 0; t < v.length; t++) {
            scaled[t] = new double[v[t].length];
            step.scale(v[t], scaled[t]);
        }
        learner.hessianVectors(stage, scaled, hv);
        for (int t = 0; t < v.length; t++) {
            for (int k = 0; k < v[t].length; k++) v[t][k] -= hv[t][k];
        }
    }

    /** Plain SGD at the fixed rate {@code lr} (Finn et al.): nothing learned, {@code v <- v - lr H_S(p_j) v}. */
    static InnerRule sgd(double lr) {
        return new Sgd(lr);
    }

    /**
     * Meta-SGD (Li, Zhou, Chen and Li 2017, "Meta-SGD: Learning to Learn Quickly for Few-Shot Learning"): one learned
     * rate per network parameter, {@code numParams} of them right after the network's parameters, starting at {@code lr}.
     */
    static InnerRule perParameter(int numParams, double lr) {
        return new PerParameter(numParams, lr);
    }

    /** See {@link #sgd}. */
    record Sgd(double lr) implements InnerRule {
        @Override
        public int extraLength() {
            return 0;
        }

        @Override
        public void initialize(double[] meta) {
        }

        @Override
        public InnerSgd step(double[] meta, int j) {
            return InnerSgd.uniform(lr);
        }

        @Override
        public void creditRates(double[] grad, double[] v, int j, double[] out) {
        }

        @Override
        public void backThrough(SliceLearner learner, int stage, InnerSgd step, double[][] v, double[][] hv) {
            learner.hessianVectors(stage, v, hv);
            for (int t = 0; t < v.length; t++) {
                for (int k = 0; k < v[t].length; k++) v[t][k] -= lr * hv[t][k];
            }
        }
    }

    /** See {@link #perParameter}: the rates are {@code meta[p .. 2p)}. */
    record PerParameter(int p, double lr) implements InnerRule {
        @Override
        public int extraLength() {
            return p;
        }

        @Override
        public void initialize(double[] meta) {
            java.util.Arrays.fill(meta, p, 2 * p, lr);
        }

        @Override
        public InnerSgd step(double[] meta, int j) {
            return InnerSgd.perParameter(java.util.Arrays.copyOfRange(meta, p, 2 * p));
        }

        @Override
        public void creditRates(double[] grad, double[] v, int j, double[] out) {
            for (int k = 0; k < p; k++) out[p + k] -= grad[k] * v[k];
        }
    }
}
