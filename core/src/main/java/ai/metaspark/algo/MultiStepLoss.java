package ai.metaspark.algo;

import java.io.Serializable;
import java.util.Arrays;

/**
 * MAML++'s multi-step loss (Antoniou, Edwards and Storkey 2019, section 4 "MSL"), an option of the meta-objective: it
 * is {@code sum_{j=1..k} w_j L_Q(theta_j)} instead of {@code L_Q(theta_k)}, with the weights annealed toward the last
 * step over {@code annealSteps} meta-steps.
 */
record MultiStepLoss(int annealSteps) implements Serializable {
    MultiStepLoss {
        annealSteps = Math.max(1, annealSteps);
    }

    /**
     * The weights {@code w_1..w_k} (index j-1) at meta-step {@code step}: with {@code f = min(step / annealSteps, 1)},
     * each non-final weight is {@code max((1 - f) / k, 0.03 / k)} and the final one {@code 1 - (k - 1)} times that, so
     * they always sum to 1 (MAML++'s schedule, per step instead of per epoch).
     */
    double[] weights(int k, long step) {
        double f = Math.min((double) step / annealSteps, 1);
        double nonFinal = Math.max((1 - f) / k, 0.03 / k);
        double[] w = new double[k];
        Arrays.fill(w, nonFinal);
        w[k - 1] = 1 - (k - 1) * nonFinal;
        return w;
    }
}
