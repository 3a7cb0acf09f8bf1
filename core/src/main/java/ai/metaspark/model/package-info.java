/**
 * Models: {@link ai.metaspark.model.NetworkSpec} describes a network over a flat parameter vector, implemented by
 * {@link ai.metaspark.model.MlpModel} (the MLP, DL4J's flat layout, MSE) and {@link ai.metaspark.model.Conv4Model}
 * (Conv-4 with a softmax head); the {@link ai.metaspark.model.Learner} API (loss, gradient, Hessian-vector product,
 * predictions, accuracy), its backends ({@link ai.metaspark.model.MlpLearner}, hand-written loops;
 * {@link ai.metaspark.model.Dl4jLearner}, a DL4J network with the R-operator on ND4J operations;
 * {@link ai.metaspark.model.Conv4Learner}, Conv-4 on oneDNN or ND4J operations; every Hessian-vector product exact),
 * {@link ai.metaspark.model.SliceLearner} (the tasks of a slice side by side, where a learner computes them so) and the
 * export of networks to a DL4J model file.
 */
package ai.metaspark.model;
