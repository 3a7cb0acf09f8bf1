package ai.metaspark.eval;

import ai.metaspark.algo.MetaAlgorithm;
import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.model.Learner;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.task.Task;

import java.util.List;

/**
 * Meta-test: adapts to each held-out task as at test time and summarizes over tasks: mean and 95% confidence interval
 * of the post-adaptation loss (classification: accuracy), the mean loss after each inner step, and the mean adaptation time.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Adapts {@code algorithm} to one task of {@code network} as at meta-test time and records its curve and time. */
    public static TaskEvaluation evaluate(MetaAlgorithm algorithm, NetworkSpec network, EvalPlan plan, Learner learner,
                                          double[] meta, Task task) {
        return algorithm.evaluate(learner, meta, network.numParams(), task, plan.evalInnerSteps(), plan.evalSteps(),
                network.classifier());
    }

    /** Summary over tasks, with the post-adaptation value taken after {@code evalInnerSteps} inner steps. */
    public static EvalResult summarize(String metric, List<TaskEvaluation> tasks, int evalInnerSteps) {
        int n = tasks.size();
        int steps = tasks.get(0).perStep().length;
        double[] perStep = new double[steps];
        double mean = 0;
        double adapt = 0;
        for (TaskEvaluation t : tasks) {
            for (int j = 0; j < steps; j++) perStep[j] += t.perStep()[j] / n;
            mean += t.perStep()[evalInnerSteps] / n;
            adapt += t.adaptMillis() / n;
        }
        double var = 0;
        for (TaskEvaluation t : tasks) {
            double d = t.perStep()[evalInnerSteps] - mean;
            var += d * d;
        }
        double sd = n > 1 ? Math.sqrt(var / (n - 1)) : 0;
        return new EvalResult(metric, mean, 1.96 * sd / Math.sqrt(n), n, evalInnerSteps, perStep, adapt);
    }
}
