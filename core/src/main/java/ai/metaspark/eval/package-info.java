/** Meta-test evaluation over many unseen tasks: adaptation curves, mean with a 95% confidence interval, timing. */
package ai.metaspark.eval;
