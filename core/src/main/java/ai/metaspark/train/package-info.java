/**
 * The outer loop ({@link ai.metaspark.train.MetaTrainer}), the exact order-independent
 * {@link ai.metaspark.train.MetaGradientAccumulator}, and the in-process {@link ai.metaspark.train.LocalTaskRunner}.
 */
package ai.metaspark.train;
