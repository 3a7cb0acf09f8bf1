package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Learner;
import ai.metaspark.model.SliceLearner;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;

import java.util.Arrays;

/**
 * ANIL (Raghu, Raghu, Bengio and Vinyals 2020, "Rapid Learning or Feature Reuse?"): MAML whose inner loop adapts only
 * the head (the parameters from {@code headOffset()} on); the body is shared and only meta-learned.
 *
 * <p>The body is fixed during the inner loop, so the support and query images are embedded once and MAML runs on the
 * linear softmax head alone ({@link HeadLearner}): {@code h_{j+1} = h_j - alpha grad_h L_S(h_j)}. Outer gradient:
 * <ul>
 *   <li>head: MAML's exact second-order recursion on the head, {@code v = grad_h L_Q(h_k)}, then
 *       {@code v <- v - alpha H_S(h_j) v} for j = k-1..0 (the softmax regression's Hessian, analytically);</li>
 *   <li>body: the query loss's gradient wrt the body at {@code (body, h_k)}, back through the query embeddings. The
 *       term through the support embeddings' effect on {@code h_k} (a mixed body-head second derivative) is dropped:
 *       the body gradient is first order, as in first-order MAML.</li>
 * </ul>
 * Meta-test adapts the head in the same way on the support embeddings.
 */
public final class Anil implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    private final Maml onHead;
    private final int headOffset;

    public Anil(int innerSteps, double innerLr, int headOffset) {
        this.onHead = new Maml(Maml.Options.sgd(innerSteps, innerLr));
        this.headOffset = headOffset;
    }

    @Override
    public double[] initialize(double[] theta) {
        return theta.clone();
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        Conv4Classifier net = net(learner);
        HeadLearner head = head(net, task);
        Task embedded = new Task(task.spec(), embed(net, meta, task.support()), embed(net, meta, task.query()));
        double[] h0 = Arrays.copyOfRange(meta, headOffset, meta.length);
        SliceLearner onePass = SliceLearner.oneByOne(head);
        Batch[] support = {embedded.support()};
        Batch[] query = {embedded.query()};
        Maml.Path path = onHead.forward(onePass, h0, h0.length, support);
        double[] adapted = path.adapted()[0];
        double[] pre = head.lossAndAccuracy(h0, embedded.query());
        double[] v = new double[h0.length];
        double post = head.gradient(adapted, embedded.query(), v);
        double[] grad = new double[meta.length];
        net.embedBackward(head.embeddingGradient(adapted, embedded.query()), grad); // the query's, embedded last
        double[] headGradient = onHead.backward(onePass, h0, task.spec().step(), query, path, new double[][] {v})[0];
        System.arraycopy(headGradient, 0, grad, headOffset, v.length);
        return new TaskOutcome(grad, pre[0], post, pre[1], head.accuracy(adapted, embedded.query()));
    }

    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps, int evalSteps,
                                   boolean accuracy) {
        Conv4Classifier net = net(learner);
        long t0 = System.nanoTime();
        Batch support = embed(net, meta, task.support());
        double embedMillis = (System.nanoTime() - t0) / 1e6;
        Task embedded = new Task(task.spec(), support, embed(net, meta, task.query()));
        double[] h0 = Arrays.copyOfRange(meta, headOffset, numParams);
        TaskEvaluation e = onHead.evaluate(head(net, task), h0, h0.length, embedded, evalInnerSteps, evalSteps, accuracy);
        return new TaskEvaluation(e.perStep(), embedMillis + e.adaptMillis());
    }

    private static HeadLearner head(Conv4Classifier net, Task task) {
        return new HeadLearner(new SoftmaxHead(net.spec().embeddingSize(), task.support().outDim()));
    }

    /** The batch's embeddings under the body of {@code meta}, with the batch's targets. */
    private static Batch embed(Conv4Classifier net, double[] meta, Batch b) {
        int emb = net.spec().embeddingSize();
        return new Batch(b.n(), emb, b.outDim(), net.embed(meta, b.x(), b.n()), b.y());
    }

    private static Conv4Classifier net(Learner learner) {
        if (!(learner instanceof Conv4Learner cl)) {
            throw new IllegalArgumentException("anil needs a Conv-4 model, got " + learner.getClass().getSimpleName());
        }
        return cl.classifier();
    }
}
