package ai.metaspark.model;

/** Hidden-layer activations with the first and second derivatives the Hessian-vector product needs. */
public enum Activation {
    RELU, TANH;

    /** f(z). */
    double apply(double z) {
        return this == RELU ? Math.max(z, 0) : StrictMath.tanh(z);   // StrictMath: the same bits on every JVM and CPU
    }

    /** f'(z), given z and a = f(z). */
    double d1(double z, double a) {
        return this == RELU ? (z > 0 ? 1 : 0) : 1 - a * a;
    }

    /** f''(z), given z and a = f(z) (zero almost everywhere for ReLU). */
    double d2(double z, double a) {
        return this == RELU ? 0 : -2 * a * (1 - a * a);
    }

    /** The matching DL4J activation. */
    org.nd4j.linalg.activations.Activation dl4j() {
        return this == RELU ? org.nd4j.linalg.activations.Activation.RELU : org.nd4j.linalg.activations.Activation.TANH;
    }
}
