/**
 * Meta-learning algorithms behind one interface, {@link ai.metaspark.algo.MetaAlgorithm}: each {@code adapt} runs the
 * inner loop on one task and returns that task's meta-gradient. MAML (second and first order, MAML++ options),
 * Meta-SGD, Reptile, the pretrain baseline, ANIL and Prototypical Networks (the last two on Conv-4). See docs/algorithms.md for the equations and papers.
 */
package ai.metaspark.algo;
