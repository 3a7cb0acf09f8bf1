package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Learner;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.task.Task;

import java.util.Arrays;

/**
 * ANIL (Raghu, Raghu, Bengio and Vinyals 2020, "Rapid Learning or Feature Reuse?"): MAML whose inner loop adapts only
 * the head (the parameters from {@code headOffset()} on); the body is shared and only meta-learned.
 *
 * <p>The body is fixed during the inner loop, so the support and query images are embedded once and the inner loop
 * runs on the linear softmax head alone ({@link SoftmaxHead}): {@code h_{j+1} = h_j - alpha grad_h L_S(h_j)}.
 * Outer gradient:
 * <ul>
 *   <li>head: exact second order, {@code v = grad_h L_Q(h_k)}, then {@code v <- v - alpha H_S(h_j) v} for
 *       j = k-1..0, with the head Hessian of the softmax regression computed analytically;</li>
 *   <li>body: the query loss's gradient wrt the body at {@code (body, h_k)}, back through the query embeddings. The
 *       term through the support embeddings' effect on {@code h_k} (a mixed body-head second derivative) is dropped:
 *       the body gradient is first order, as in first-order MAML.</li>
 * </ul>
 * With {@code first_order} (not set by any recipe) the head's Hessian terms are dropped too.
 * Meta-test adapts the head in the same way on the support embeddings.
 */
public final class Anil implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    private final int innerSteps;
    private final double innerLr;
    private final int headOffset;

    public Anil(int innerSteps, double innerLr, int headOffset) {
        this.innerSteps = innerSteps;
        this.innerLr = innerLr;
        this.headOffset = headOffset;
    }

    @Override
    public double[] initialize(double[] theta) {
        return theta.clone();
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        Conv4Classifier net = net(learner);
        SoftmaxHead head = new SoftmaxHead(net.spec().embeddingSize(), task.support().outDim());
        int ns = task.support().n();
        int nq = task.query().n();
        int[] ls = Conv4Learner.labels(task.support());
        int[] lq = Conv4Learner.labels(task.query());
        double[] es = net.embed(meta, task.support().x(), ns);
        double[] eq = net.embed(meta, task.query().x(), nq);
        double[][] path = new double[innerSteps + 1][];
        path[0] = Arrays.copyOfRange(meta, headOffset, meta.length);
        double[] dz = new double[ns * task.support().outDim()];
        InnerSgd inner = InnerSgd.uniform(innerLr);
        for (int j = 0; j < innerSteps; j++) {
            path[j + 1] = inner.step(path[j], supportGradient(head, path[j], es, ls, dz));
        }
        double[] z0 = head.logits(path[0], eq, nq);
        double pre = head.crossEntropy(z0, lq, null);
        double accPre = head.accuracy(z0, lq);
        double[] zk = head.logits(path[innerSteps], eq, nq);
        double[] dzq = new double[zk.length];
        double post = head.crossEntropy(zk, lq, dzq);
        double accPost = head.accuracy(zk, lq);
        double[] grad = new double[meta.length];
        net.embedBackward(head.embeddingGradient(path[innerSteps], dzq, nq), grad);
        double[] v = head.gradient(eq, dzq, nq);
        for (int j = innerSteps - 1; j >= 0; j--) {
            double[] hv = head.hessianVector(path[j], es, ns, v);
            for (int k = 0; k < v.length; k++) v[k] -= innerLr * hv[k];
        }
        System.arraycopy(v, 0, grad, headOffset, v.length);
        return new TaskOutcome(grad, pre, post, accPre, accPost);
    }

    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int postStep, int curveSteps,
                                   boolean accuracy) {
        Conv4Classifier net = net(learner);
        SoftmaxHead head = new SoftmaxHead(net.spec().embeddingSize(), task.support().outDim());
        int ns = task.support().n();
        int nq = task.query().n();
        int[] ls = Conv4Learner.labels(task.support());
        int[] lq = Conv4Learner.labels(task.query());
        long t0 = System.nanoTime();
        double[] es = net.embed(meta, task.support().x(), ns);
        double embedMillis = (System.nanoTime() - t0) / 1e6;
        double[] eq = net.embed(meta, task.query().x(), nq);
        double[] h = Arrays.copyOfRange(meta, headOffset, numParams);
        double[] curve = new double[curveSteps + 1];
        double[] dz = new double[ns * task.support().outDim()];
        double stepMillis = 0;
        InnerSgd inner = InnerSgd.uniform(innerLr);
        for (int j = 0; j <= curveSteps; j++) {
            double[] z = head.logits(h, eq, nq);
            curve[j] = accuracy ? head.accuracy(z, lq) : head.crossEntropy(z, lq, null);
            if (j < curveSteps) {
                long t1 = System.nanoTime();
                h = inner.step(h, supportGradient(head, h, es, ls, dz));
                if (j < postStep) stepMillis += (System.nanoTime() - t1) / 1e6;
            }
        }
        return new TaskEvaluation(curve, embedMillis + stepMillis);
    }

    /** The gradient of the support loss with respect to the head {@code h}; {@code dz} is scratch for the logits. */
    private static double[] supportGradient(SoftmaxHead head, double[] h, double[] es, int[] ls, double[] dz) {
        int ns = ls.length;
        head.crossEntropy(head.logits(h, es, ns), ls, dz);
        return head.gradient(es, dz, ns);
    }

    private static Conv4Classifier net(Learner learner) {
        if (!(learner instanceof Conv4Learner cl)) {
            throw new IllegalArgumentException("anil needs a Conv-4 model, got " + learner.spec());
        }
        return cl.classifier();
    }
}
