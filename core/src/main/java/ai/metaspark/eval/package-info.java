/**
 * Meta-test evaluation over many unseen tasks, as an {@link ai.metaspark.eval.EvalPlan} says: adaptation curves, mean
 * with a 95% confidence interval, timing ({@link ai.metaspark.eval.Evaluator}, {@link ai.metaspark.eval.EvalResult}).
 */
package ai.metaspark.eval;
