package ai.metaspark.eval;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A meta-test result, as written to eval.json.
 *
 * @param metric       what the values measure ("mse", or "accuracy" for classification)
 * @param mean         mean post-adaptation value over the tasks
 * @param ci95         half-width of the 95% confidence interval of the mean (1.96 standard errors)
 * @param tasks        number of tasks
 * @param evalInnerSteps inner steps taken for the post-adaptation value (written {@code eval_inner_steps}; earlier
 *                    versions wrote {@code post_step}, which is still read)
 * @param perStep      mean value after 0, 1, ... inner steps
 * @param adaptMsMean  mean wall time of one task's adaptation, milliseconds
 */
public record EvalResult(@JsonProperty("metric") String metric,
                         @JsonProperty("mean") double mean,
                         @JsonProperty("ci95") double ci95,
                         @JsonProperty("tasks") int tasks,
                         @JsonProperty("eval_inner_steps") @JsonAlias("post_step") int evalInnerSteps,
                         @JsonProperty("per_step") double[] perStep,
                         @JsonProperty("adapt_ms_mean") double adaptMsMean) {
    /** One line for people: {@code mse after 1 inner step(s): 0.3150 +- 0.0315 (95% CI, 600 tasks)}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%s after %d inner step(s): %.4f +- %.4f (95%% CI, %d tasks)",
                metric, evalInnerSteps, mean, ci95, tasks);
    }
}
