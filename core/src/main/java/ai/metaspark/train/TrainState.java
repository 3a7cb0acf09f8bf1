package ai.metaspark.train;

/**
 * Everything needed to continue training exactly: the next step, meta-parameters, optimizer state and the early
 * stopping state. The task sampler needs no state: a step's tasks depend only on (seed, step, index).
 *
 * @param step            the next meta-step to run
 * @param meta            current meta-parameters
 * @param optimizerState  outer optimizer state
 * @param bestMeta        meta-parameters with the best validation loss so far (= meta when validation is off)
 * @param bestValidation  best validation score so far, lower is better: the loss, or minus the accuracy for
 *                        classification (+infinity before the first validation)
 * @param badValidations  validations since the best one
 */
public record TrainState(int step, double[] meta, double[] optimizerState, double[] bestMeta, double bestValidation,
                         int badValidations) {
    public static TrainState start(double[] meta, double[] optimizerState) {
        return new TrainState(0, meta, optimizerState, meta.clone(), Double.POSITIVE_INFINITY, 0);
    }
}
