package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;

/**
 * The transfer-learning baseline: one network trained jointly on all training tasks (the gradient of the loss on the
 * task's support and query data at theta, no inner loop), then adapted to a test task by the same fine-tuning as the
 * meta-learners ({@code inner_steps} SGD steps at {@code inner_lr}). Every comparison shows it beside them.
 */
public final class Pretrain extends UniformInnerSgd {
    private static final long serialVersionUID = 1L;

    public Pretrain(int innerSteps, double innerLr) {
        super(innerSteps, innerLr);
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] theta, Task task) {
        Batch all = task.support().concat(task.query());
        double[] g = new double[theta.length];
        learner.gradient(theta, all, g);
        double[] tuned = InnerSgd.uniform(innerLr).adapt(learner, theta, task.support(), innerSteps);
        double[] pre = learner.lossAndAccuracy(theta, task.query());
        double[] post = learner.lossAndAccuracy(tuned, task.query());
        return new TaskOutcome(g, pre[0], post[0], pre[1], post[1]);
    }
}
