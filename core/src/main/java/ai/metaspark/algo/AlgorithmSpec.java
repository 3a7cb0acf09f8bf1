package ai.metaspark.algo;

import java.io.Serializable;

/**
 * A meta-learning algorithm by name with its named options, as a recipe states it; {@link Algorithms#of} builds it.
 *
 * @param name             maml, fomaml, reptile, metasgd, pretrain, anil, protonet or transfer
 * @param innerSteps       inner-loop SGD steps per task (k)
 * @param innerLr          inner-loop learning rate (Meta-SGD and LSLR: the initial value of the learned rates)
 * @param multiStepLoss    MAML++ multi-step loss (maml, fomaml)
 * @param mslAnnealSteps   meta-steps over which the multi-step-loss weights anneal toward the last step
 * @param firstOrderSteps  MAML++ derivative-order annealing: first-order meta-gradients before this meta-step
 * @param lslr             MAML++ learned per-layer per-step inner rates (maml, fomaml)
 * @param perStepBn        MAML++ per-step batch norm (maml, fomaml; networks with batch norm)
 */
public record AlgorithmSpec(String name, int innerSteps, double innerLr, boolean multiStepLoss, int mslAnnealSteps,
                            int firstOrderSteps, boolean lslr, boolean perStepBn) implements Serializable {

    /** {@code name} with k inner steps at rate {@code innerLr} and every MAML++ option off. */
    public static AlgorithmSpec of(String name, int innerSteps, double innerLr) {
        return new AlgorithmSpec(name, innerSteps, innerLr, false, 1, 0, false, false);
    }

    /** This spec with MAML++'s multi-step loss, its weights annealed over {@code annealSteps} meta-steps. */
    public AlgorithmSpec withMultiStepLoss(int annealSteps) {
        return new AlgorithmSpec(name, innerSteps, innerLr, true, annealSteps, firstOrderSteps, lslr, perStepBn);
    }

    /** This spec with first-order meta-gradients before meta-step {@code steps} (derivative-order annealing). */
    public AlgorithmSpec withFirstOrderSteps(int steps) {
        return new AlgorithmSpec(name, innerSteps, innerLr, multiStepLoss, mslAnnealSteps, steps, lslr, perStepBn);
    }

    /** This spec with MAML++'s learned per-layer per-step inner rates. */
    public AlgorithmSpec withLslr() {
        return new AlgorithmSpec(name, innerSteps, innerLr, multiStepLoss, mslAnnealSteps, firstOrderSteps, true, perStepBn);
    }

    /** This spec with MAML++'s per-step batch norm. */
    public AlgorithmSpec withPerStepBn() {
        return new AlgorithmSpec(name, innerSteps, innerLr, multiStepLoss, mslAnnealSteps, firstOrderSteps, lslr, true);
    }

    /** Whether the algorithm is MAML or first-order MAML (the ones the MAML++ options apply to). */
    public boolean mamlFamily() {
        return name.equals("maml") || name.equals("fomaml");
    }

    /** Whether the algorithm adapts by inner-loop steps (all but Prototypical Networks, which compute prototypes). */
    public boolean hasInnerLoop() {
        return !name.equals("protonet");
    }
}
