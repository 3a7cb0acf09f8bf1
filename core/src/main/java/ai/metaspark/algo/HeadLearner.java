package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Learner;
import ai.metaspark.task.Batch;

/**
 * The {@link SoftmaxHead} as a {@link Learner} whose parameters are the head and whose inputs are fixed embeddings
 * (rows of a {@link Batch} with one-hot targets): ANIL's inner loop, its second-order term and its meta-test run on it
 * through {@link Maml} and {@link InnerSgd#evaluate} like any network's. Exact Hessian-vector products.
 */
final class HeadLearner implements Learner {
    private final SoftmaxHead head;

    HeadLearner(SoftmaxHead head) {
        this.head = head;
    }

    @Override
    public boolean isClassifier() {
        return true;
    }

    @Override
    public double loss(double[] h, Batch e) {
        return head.crossEntropy(predict(h, e), Conv4Learner.labels(e), null);
    }

    @Override
    public double gradient(double[] h, Batch e, double[] grad) {
        double[] dz = new double[e.n() * e.outDim()];
        double loss = head.crossEntropy(predict(h, e), Conv4Learner.labels(e), dz);
        System.arraycopy(head.gradient(e.x(), dz, e.n()), 0, grad, 0, grad.length);
        return loss;
    }

    @Override
    public void hessianVector(double[] h, Batch e, double[] v, double[] out) {
        System.arraycopy(head.hessianVector(h, e.x(), e.n(), v), 0, out, 0, out.length);
    }

    @Override
    public double[] predict(double[] h, Batch e) {
        return head.logits(h, e.x(), e.n());
    }

    @Override
    public double accuracy(double[] h, Batch e) {
        return head.accuracy(predict(h, e), Conv4Learner.labels(e));
    }

    /** The gradient of the loss at {@code h} with respect to the embeddings {@code e.x()}. */
    double[] embeddingGradient(double[] h, Batch e) {
        double[] dz = new double[e.n() * e.outDim()];
        head.crossEntropy(predict(h, e), Conv4Learner.labels(e), dz);
        return head.embeddingGradient(h, dz, e.n());
    }
}
