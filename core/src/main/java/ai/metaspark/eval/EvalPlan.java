package ai.metaspark.eval;

import java.io.Serializable;

/**
 * How held-out tasks are meta-tested.
 *
 * @param tasks          unseen test tasks of the final meta-test ({@code eval_tasks})
 * @param evalInnerSteps inner steps whose result is the reported mean ({@code eval_inner_steps}, 0 there meaning
 *                       {@code inner_steps}; 0 for Prototypical Networks, which adapt by computing prototypes)
 * @param evalSteps      the curve records the value after 0..evalSteps inner steps ({@code max(eval_steps,
 *                       evalInnerSteps)}; 0 for Prototypical Networks)
 * @param evalQuery      query examples per held-out task ({@code eval_query}; classification: per class)
 */
public record EvalPlan(int tasks, int evalInnerSteps, int evalSteps, int evalQuery) implements Serializable {
}
