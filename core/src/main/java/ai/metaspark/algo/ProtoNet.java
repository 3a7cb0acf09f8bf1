package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Learner;
import ai.metaspark.model.SliceLearner;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.model.conv.Conv4Slice;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prototypical Networks (Snell, Swersky and Zemel 2017, "Prototypical Networks for Few-shot Learning"). The support
 * and query images of a task are embedded by Conv-4 in one batch (as the authors' code does: one forward pass over
 * {@code cat(xs, xq)}; batch norm uses that batch's statistics); the prototype of class k is the mean support
 * embedding {@code c_k}; a query's logits are {@code -|f(x) - c_k|^2}; the loss is the query's mean softmax
 * cross-entropy. The meta-gradient is that loss's exact gradient wrt the conv parameters, back through the query
 * embeddings and the prototypes ({@code dL/dc_k} is shared equally by the class's support embeddings) via
 * {@link Conv4Classifier#embedBackward}. No inner loop: pre- and post-adaptation values are the same number.
 *
 * <p>The meta-vector is the {@link ai.metaspark.model.Conv4Model}'s, head included; the head is unused and its
 * gradient is 0, so it never moves. At meta-test "adaptation" is computing the prototypes: the curve has one entry
 * (the query accuracy or loss with the prototypes) and its time is the embedding and prototype time.
 */
public final class ProtoNet implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] initialize(double[] theta) {
        return theta.clone();
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        Conv4Classifier net = net(learner);
        Episode ep = new Episode(task, net.embed(meta, images(task), size(task)), net.spec().embeddingSize());
        double[] lossAndAccuracy = new double[2];
        double[] de = ep.embeddingGradient(lossAndAccuracy);
        double[] grad = new double[meta.length];
        net.embedBackward(de, grad);
        return outcome(grad, lossAndAccuracy);
    }

    /**
     * On the Conv-4 over ND4J operations ({@link Conv4Learner#slice()}), the episodes of alike tasks side by side: one
     * batched pass embeds all of them (each with its own batch statistics), one backward pass returns every task's
     * gradient, in parts of at most {@link SliceLearner#MAX_TASKS}. Each task's outcome is the one {@link #adapt} gives it
     * alone.
     */
    @Override
    public List<TaskOutcome> adaptAll(Learner learner, double[] meta, List<Task> tasks) {
        Conv4Learner conv4 = conv4(learner);
        Optional<Conv4Slice> slice = conv4.slice();
        if (slice.isEmpty() || !Task.alike(tasks)) return MetaAlgorithm.super.adaptAll(learner, meta, tasks);
        List<TaskOutcome> out = new ArrayList<>(tasks.size());
        int emb = conv4.classifier().spec().embeddingSize();
        for (List<Task> part : SliceLearner.parts(tasks)) out.addAll(sideBySide(slice.get(), emb, meta, part));
        return out;
    }

    /** The episodes of {@code tasks} in one batched forward and one batched backward pass. */
    private static List<TaskOutcome> sideBySide(Conv4Slice slice, int emb, double[] meta, List<Task> tasks) {
        int n = tasks.size();
        double[][] params = new double[n][];
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) {
            params[t] = meta;
            x[t] = images(tasks.get(t));
        }
        double[][] e = slice.embed(0, params, x, size(tasks.get(0)));
        double[][] lossAndAccuracy = new double[n][2];
        double[][] de = new double[n][];
        double[][] grads = new double[n][meta.length];
        for (int t = 0; t < n; t++) de[t] = new Episode(tasks.get(t), e[t], emb).embeddingGradient(lossAndAccuracy[t]);
        slice.embedBackward(0, de, grads);
        List<TaskOutcome> out = new ArrayList<>(n);
        for (int t = 0; t < n; t++) out.add(outcome(grads[t], lossAndAccuracy[t]));
        return out;
    }

    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps, int evalSteps,
                                   boolean accuracy) {
        Conv4Classifier net = net(learner);
        long t0 = System.nanoTime();
        Episode ep = new Episode(task, net.embed(meta, images(task), size(task)), net.spec().embeddingSize());
        double millis = (System.nanoTime() - t0) / 1e6;
        double value = accuracy ? ep.head.accuracy(ep.logits, ep.queryLabels) : ep.head.crossEntropy(ep.logits, ep.queryLabels, null);
        return new TaskEvaluation(new double[] {value}, millis);
    }

    /** No inner loop: the pre- and post-adaptation values are the same. */
    private static TaskOutcome outcome(double[] grad, double[] lossAndAccuracy) {
        return new TaskOutcome(grad, lossAndAccuracy[0], lossAndAccuracy[0], lossAndAccuracy[1], lossAndAccuracy[1]);
    }

    private static Conv4Classifier net(Learner learner) {
        return conv4(learner).classifier();
    }

    private static Conv4Learner conv4(Learner learner) {
        if (!(learner instanceof Conv4Learner cl)) {
            throw new IllegalArgumentException("protonet needs a Conv-4 model, got " + learner.getClass().getSimpleName());
        }
        return cl;
    }

    /** The episode's images, support then query: embedded in one batch. */
    private static double[] images(Task task) {
        return task.support().concat(task.query()).x();
    }

    private static int size(Task task) {
        return task.support().n() + task.query().n();
    }

    /** An episode's prototypes and query logits, from its embeddings (support rows first). */
    private static final class Episode {
        final int ways;
        final int emb;
        final int ns;
        final int nq;
        final int[] supportLabels;
        final int[] queryLabels;
        final int[] counts;
        final double[] e;
        final double[] protos;
        final double[] logits;
        final SoftmaxHead head;

        Episode(Task task, double[] e, int emb) {
            Batch s = task.support();
            Batch q = task.query();
            this.e = e;
            this.emb = emb;
            ways = s.outDim();
            ns = s.n();
            nq = q.n();
            head = new SoftmaxHead(emb, ways);
            supportLabels = Conv4Learner.labels(s);
            queryLabels = Conv4Learner.labels(q);
            counts = new int[ways];
            protos = new double[ways * emb];
            for (int i = 0; i < ns; i++) {
                int k = supportLabels[i];
                counts[k]++;
                for (int d = 0; d < emb; d++) protos[k * emb + d] += e[i * emb + d];
            }
            for (int k = 0; k < ways; k++) {
                if (counts[k] == 0) throw new IllegalArgumentException("class " + k + " has no support example");
                for (int d = 0; d < emb; d++) protos[k * emb + d] /= counts[k];
            }
            logits = new double[nq * ways];
            for (int i = 0; i < nq; i++) {
                int row = (ns + i) * emb;
                for (int k = 0; k < ways; k++) {
                    double dist = 0;
                    for (int d = 0; d < emb; d++) {
                        double diff = e[row + d] - protos[k * emb + d];
                        dist += diff * diff;
                    }
                    logits[i * ways + k] = -dist;
                }
            }
        }

        /** The query loss and accuracy (into {@code lossAndAccuracy}) and the loss's gradient at the embeddings. */
        double[] embeddingGradient(double[] lossAndAccuracy) {
            double[] dz = new double[nq * ways];
            lossAndAccuracy[0] = head.crossEntropy(logits, queryLabels, dz);
            lossAndAccuracy[1] = head.accuracy(logits, queryLabels);
            return backward(dz);
        }

        /** Gradient wrt all embeddings (support rows first) of a loss whose logit gradient is {@code dz}. */
        double[] backward(double[] dz) {
            double[] de = new double[(ns + nq) * emb];
            double[] dProto = new double[ways * emb];
            for (int i = 0; i < nq; i++) {
                int row = (ns + i) * emb;
                for (int k = 0; k < ways; k++) {
                    double g = dz[i * ways + k];
                    if (g == 0) continue;
                    for (int d = 0; d < emb; d++) {
                        double diff = e[row + d] - protos[k * emb + d];
                        de[row + d] -= 2 * g * diff;
                        dProto[k * emb + d] += 2 * g * diff;
                    }
                }
            }
            for (int i = 0; i < ns; i++) {
                int k = supportLabels[i];
                for (int d = 0; d < emb; d++) de[i * emb + d] = dProto[k * emb + d] / counts[k];
            }
            return de;
        }
    }
}
