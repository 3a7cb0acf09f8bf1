/**
 * Meta-learning algorithms behind one interface, {@link ai.metaspark.algo.MetaAlgorithm}: each {@code adapt} runs the
 * inner loop on one task and returns that task's meta-gradient. One reverse-mode recursion,
 * {@link ai.metaspark.algo.Maml}, serves MAML (second and first order, MAML++ options), Meta-SGD (an
 * {@link ai.metaspark.algo.InnerRule} with per-parameter rates) and ANIL (MAML on the head); beside it Reptile, the
 * pretrain baseline (regression), Prototypical Networks, and {@link ai.metaspark.algo.TransferHead}, the meta-test of the
 * transfer baseline (a new head per task on a trained classifier's body). See docs/algorithms.md for the equations and
 * papers.
 */
package ai.metaspark.algo;
