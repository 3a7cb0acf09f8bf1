/**
 * Models: {@link ai.metaspark.model.NetworkSpec} describes a network over a flat parameter vector, implemented by
 * {@link ai.metaspark.model.MlpModel} (the MLP, DL4J's flat layout, MSE) and {@link ai.metaspark.model.Conv4Model}
 * (Conv-4 with a softmax head); the {@link ai.metaspark.model.Learner} API (loss, gradient, Hessian-vector product,
 * predictions, accuracy), its backends ({@link ai.metaspark.model.MlpLearner}, hand-written and exact;
 * {@link ai.metaspark.model.Dl4jLearner}, any DL4J network; {@link ai.metaspark.model.Conv4Learner}, oneDNN with a
 * finite-difference HVP) and the export of MLPs to a DL4J model file.
 */
package ai.metaspark.model;
