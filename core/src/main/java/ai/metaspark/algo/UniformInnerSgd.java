package ai.metaspark.algo;

/**
 * Base of the algorithms whose meta-parameters are just the network's and whose inner loop is SGD with one learning
 * rate: {@code inner_steps} steps at {@code inner_lr}, at training and at meta-test time alike.
 */
abstract class UniformInnerSgd implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    protected final int innerSteps;
    protected final double innerLr;

    UniformInnerSgd(int innerSteps, double innerLr) {
        this.innerSteps = innerSteps;
        this.innerLr = innerLr;
    }

    @Override
    public double[] initialize(double[] theta) {
        return theta.clone();
    }

    @Override
    public InnerSgd testTimeInner(double[] meta, int numParams) {
        return InnerSgd.uniform(innerLr);
    }
}
