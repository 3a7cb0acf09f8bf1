/**
 * Models: the {@link ai.metaspark.model.ModelSpec} with DL4J's flat parameter layout, the {@link ai.metaspark.model.Learner}
 * API (loss, gradient, Hessian-vector product), its two backends ({@link ai.metaspark.model.MlpLearner}, hand-written
 * and exact; {@link ai.metaspark.model.Dl4jLearner}, any DL4J network) and the export to a DL4J model file.
 */
package ai.metaspark.model;
