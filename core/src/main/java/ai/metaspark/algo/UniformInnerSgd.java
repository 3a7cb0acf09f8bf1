package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;

/**
 * Base of the algorithms whose meta-parameters are just the network's and whose inner loop is SGD with one learning
 * rate: {@code inner_steps} steps at {@code inner_lr}, at training and at meta-test time alike.
 */
abstract class UniformInnerSgd implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    protected final int innerSteps;
    protected final double innerLr;

    UniformInnerSgd(int innerSteps, double innerLr) {
        this.innerSteps = innerSteps;
        this.innerLr = innerLr;
    }

    @Override
    public double[] initialize(double[] theta) {
        return theta.clone();
    }

    /** Meta-test: plain SGD at {@code inner_lr} from the meta-parameters. */
    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps, int evalSteps,
                                   boolean accuracy) {
        InnerSgd inner = InnerSgd.uniform(innerLr);
        return InnerSgd.evaluate(learner, task, networkParams(meta, numParams), evalInnerSteps, evalSteps, accuracy,
                j -> inner, (u, j) -> u);
    }
}
