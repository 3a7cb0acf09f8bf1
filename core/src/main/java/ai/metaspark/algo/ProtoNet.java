package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Learner;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;

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
        Episode ep = new Episode(learner, meta, task);
        double[] dz = new double[ep.nq * ep.ways];
        double loss = ep.head.crossEntropy(ep.logits, ep.queryLabels, dz);
        double acc = ep.head.accuracy(ep.logits, ep.queryLabels);
        double[] de = ep.backward(dz);
        double[] grad = new double[meta.length];
        ep.net.embedBackward(de, grad);
        return new TaskOutcome(grad, loss, loss, acc, acc);
    }

    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps, int evalSteps,
                                   boolean accuracy) {
        long t0 = System.nanoTime();
        Episode ep = new Episode(learner, meta, task);
        double millis = (System.nanoTime() - t0) / 1e6;
        double value = accuracy ? ep.head.accuracy(ep.logits, ep.queryLabels) : ep.head.crossEntropy(ep.logits, ep.queryLabels, null);
        return new TaskEvaluation(new double[] {value}, millis);
    }

    /** One forward pass: embeddings, prototypes and query logits. */
    private static final class Episode {
        final Conv4Classifier net;
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

        Episode(Learner learner, double[] meta, Task task) {
            if (!(learner instanceof Conv4Learner cl)) {
                throw new IllegalArgumentException("protonet needs a Conv-4 model, got " + learner.getClass().getSimpleName());
            }
            net = cl.classifier();
            Batch s = task.support();
            Batch q = task.query();
            ways = s.outDim();
            emb = net.spec().embeddingSize();
            ns = s.n();
            nq = q.n();
            head = new SoftmaxHead(emb, ways);
            supportLabels = Conv4Learner.labels(s);
            queryLabels = Conv4Learner.labels(q);
            e = net.embed(meta, s.concat(q).x(), ns + nq);
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
