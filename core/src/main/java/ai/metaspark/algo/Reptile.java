package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;

/**
 * Reptile (Nichol, Achiam and Schulman 2018, "On First-Order Meta-Learning Algorithms"): k steps of plain SGD on the
 * task's support set give {@code theta'}; the outer update moves toward it. The returned direction is
 * {@code theta - theta'}, so outer SGD with rate epsilon is the paper's {@code theta <- theta + epsilon (theta' - theta)}.
 */
public final class Reptile extends UniformInnerSgd {
    private static final long serialVersionUID = 1L;

    public Reptile(int innerSteps, double innerLr) {
        super(innerSteps, innerLr);
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] theta, Task task) {
        double[] adapted = InnerSgd.uniform(innerLr).adapt(learner, theta, task.support(), innerSteps);
        double[] direction = new double[theta.length];
        for (int k = 0; k < theta.length; k++) {
            direction[k] = theta[k] - adapted[k];
        }
        double[] pre = learner.lossAndAccuracy(theta, task.query());
        double[] post = learner.lossAndAccuracy(adapted, task.query());
        return new TaskOutcome(direction, pre[0], post[0], pre[1], post[1]);
    }
}
