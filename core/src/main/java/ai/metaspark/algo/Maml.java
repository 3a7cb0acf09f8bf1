package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.model.SliceLearner;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MAML (Finn, Abbeel and Levine 2017, "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks"), the one
 * reverse-mode meta-gradient of every algorithm that differentiates through an inner loop (MAML, first-order MAML,
 * Meta-SGD, MAML++, and ANIL on its head).
 *
 * <p>Inner loop ({@link #forward}): {@code u_{j+1} = u_j - alpha_j . grad L_S(p_j)} for j = 0..k-1, from
 * {@code u_0 = theta}, where the network runs with {@code p_j = bn_j(u_j)} and the rates come from the
 * {@link InnerRule}. Meta-objective {@code L_Q(p_k)}. The outcome's "pre" loss and accuracy are the support set's at
 * {@code p_0} (the first inner step computes them; no extra pass), its "post" ones the query set's at {@code p_k}.
 *
 * <p>Backward recursion ({@link #backward}), second order: {@code v = grad L_Q(p_k)}, then for j = k-1..0
 * {@code v <- v - H_S(p_j) (alpha_j . v)}, returning v (and the rates' and batch-norm copies' gradients on the way).
 * Memory is the k+1 parameter vectors; each Hessian-vector product is recomputed at {@code p_j}. First order (Finn et
 * al., section 5.2) drops the Hessian terms and returns {@code grad L_Q(p_k)}.
 *
 * <p>MAML++ (Antoniou, Edwards and Storkey 2019, "How to train your MAML") options, all off by default: the
 * {@link MultiStepLoss} (the objective {@code sum_j w_j L_Q(p_j)}: backward adds {@code w_j grad L_Q(p_j)} to v at each
 * step j >= 1), derivative-order annealing ({@code firstOrderSteps}: first order before that meta-step), LSLR
 * ({@link PerTensorRates}) and per-step batch norm ({@link StepBatchNorm}). The meta-vector is
 * {@code [theta | batch-norm copies | learned rates]}.
 *
 * <p>Tasks side by side ({@link #adaptAll}): the inner loops, query gradients and backward recursions of a slice's
 * tasks run in lockstep on a {@link SliceLearner}, each gradient and Hessian-vector product one call for all tasks,
 * when the learner computes tasks together (the Conv-4 on ND4J operations, a GPU's way); other learners take the same
 * steps one task at a time. A task's outcome is the same either way: {@link #adapt} is the lockstep of one task.
 */
public final class Maml implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    private final Options o;

    /**
     * The named options of one MAML.
     *
     * @param innerSteps      k
     * @param rule            the inner update: fixed rate, Meta-SGD's or LSLR's rates
     * @param batchNorm       per-step batch norm, or {@link StepBatchNorm#none()}
     * @param multiStepLoss   the multi-step loss, or null for {@code L_Q(p_k)} alone
     * @param firstOrder      drop the Hessian terms
     * @param firstOrderSteps first order before this meta-step (derivative-order annealing; 0: never)
     */
    record Options(int innerSteps, InnerRule rule, StepBatchNorm batchNorm, MultiStepLoss multiStepLoss,
                   boolean firstOrder, int firstOrderSteps) implements java.io.Serializable {
        /** k steps of plain SGD at {@code lr}, second order, no MAML++ option. */
        static Options sgd(int innerSteps, double lr) {
            return new Options(innerSteps, InnerRule.sgd(lr), StepBatchNorm.none(), null, false, 0);
        }

        /** These options, first order. */
        Options asFirstOrder() {
            return new Options(innerSteps, rule, batchNorm, multiStepLoss, true, firstOrderSteps);
        }

        /** These options with the multi-step loss annealed over {@code annealSteps} meta-steps. */
        Options withMultiStepLoss(int annealSteps) {
            return new Options(innerSteps, rule, batchNorm, new MultiStepLoss(annealSteps), firstOrder, firstOrderSteps);
        }

        /** These options, first order before meta-step {@code steps}. */
        Options withFirstOrderSteps(int steps) {
            return new Options(innerSteps, rule, batchNorm, multiStepLoss, firstOrder, steps);
        }
    }

    Maml(Options options) {
        this.o = options;
    }

    /**
     * The inner loop of the tasks of a slice, side by side: the parameters {@code p[j][t]} task t's network ran with
     * at step j ({@code p_0..p_k}), its support gradients {@code grads[j][t]}, each step's update (the same for every
     * task), and each task's support loss and accuracy at {@code p_0} ({@code pre[t]}, before adapting).
     */
    record Path(double[][][] p, double[][][] grads, InnerSgd[] steps, double[][] pre) {
        double[][] adapted() {
            return p[p.length - 1];
        }
    }

    @Override
    public double[] initialize(double[] theta) {
        double[] meta = java.util.Arrays.copyOf(theta, theta.length + o.batchNorm().extraLength() + o.rule().extraLength());
        o.batchNorm().initialize(meta);
        o.rule().initialize(meta);
        return meta;
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        return adaptAll(learner, meta, List.of(task)).get(0);
    }

    /**
     * Side by side when the learner computes tasks together ({@link Learner#sideBySide()}) and the tasks are alike
     * ({@link Task#alike}), in parts of at most {@link SliceLearner#MAX_TASKS}; one by one otherwise. Each task's outcome is the one {@link #adapt} gives it alone.
     */
    @Override
    public List<TaskOutcome> adaptAll(Learner learner, double[] meta, List<Task> tasks) {
        Optional<SliceLearner> side = learner.sideBySide();
        List<TaskOutcome> out = new ArrayList<>(tasks.size());
        if (side.isPresent() && Task.alike(tasks)) {
            for (List<Task> part : SliceLearner.parts(tasks)) out.addAll(adaptSideBySide(side.get(), meta, part));
        } else {
            SliceLearner one = SliceLearner.oneByOne(learner);
            for (Task t : tasks) out.addAll(adaptSideBySide(one, meta, List.of(t)));
        }
        return out;
    }

    /** The inner loops, query gradients and backward recursions of tasks of one meta-step, in lockstep. */
    private List<TaskOutcome> adaptSideBySide(SliceLearner learner, double[] meta, List<Task> tasks) {
        int p = meta.length - o.batchNorm().extraLength() - o.rule().extraLength();
        Batch[] support = tasks.stream().map(Task::support).toArray(Batch[]::new);
        Batch[] query = tasks.stream().map(Task::query).toArray(Batch[]::new);
        Path path = forward(learner, meta, p, support);
        double[][] v = arrays(tasks.size(), p, Scratch.NONE);
        double[][] post = learner.gradients(o.innerSteps(), path.adapted(), query, v, true);
        double[][] metaGradients = backward(learner, meta, tasks.get(0).spec().step(), query, path, v);
        List<TaskOutcome> out = new ArrayList<>(tasks.size());
        for (int t = 0; t < tasks.size(); t++) {
            out.add(new TaskOutcome(metaGradients[t], path.pre()[t][0], post[t][0], path.pre()[t][1], post[t][1]));
        }
        return out;
    }

    /**
     * The inner loop on the support sets: p_0..p_k and the support gradient at each p_j, support passes kept as
     * stages 0..k-1. One task alone works in this thread's scratch arrays (its gradients share one when the rule
     * needs them no longer than a step).
     */
    Path forward(SliceLearner learner, double[] meta, int p, Batch[] support) {
        int k = o.innerSteps();
        int tasks = support.length;
        double[][][] ps = new double[k + 1][][];
        double[][][] grads = new double[k][][];
        InnerSgd[] steps = new InnerSgd[k];
        double[] u0 = meta.length == p ? meta : java.util.Arrays.copyOf(meta, p); // read only: steps write new arrays
        double[] p0 = o.batchNorm().forward(meta, u0, 0);
        double[][] u = new double[tasks][];
        ps[0] = new double[tasks][];
        for (int t = 0; t < tasks; t++) {
            u[t] = u0;
            ps[0][t] = p0;
        }
        double[][] pre = new double[tasks][2];
        for (int j = 0; j < k; j++) {
            steps[j] = o.rule().step(meta, j);
            grads[j] = arrays(tasks, p, o.rule().extraLength() > 0 ? Scratch.NONE : 0);
            double[][] lossAndAccuracy = learner.gradients(j, ps[j], support, grads[j], j == 0);
            if (j == 0) pre = lossAndAccuracy;
            double[][] next = arrays(tasks, p, Scratch.INNER + j); // p_j+1 lives until adapt returns
            ps[j + 1] = new double[tasks][];
            for (int t = 0; t < tasks; t++) {
                u[t] = steps[j].step(u[t], grads[j][t], next[t]);
                ps[j + 1][t] = o.batchNorm().forward(meta, u[t], j + 1);
            }
        }
        return new Path(ps, grads, steps, pre);
    }

    /**
     * From {@code v[t] = dL_Q/dp_k} of each task (scaled here by the last multi-step-loss weight), back through every
     * inner step: the meta-gradients over the whole meta-vector ({@code v} itself when there is nothing but theta).
     * {@code step} is the tasks' meta-step (derivative-order annealing and the multi-step loss's weights); the
     * Hessian-vector products run on the learner's kept support passes (stages 0..k-1 of {@link #forward}).
     */
    double[][] backward(SliceLearner learner, double[] meta, long step, Batch[] query, Path path, double[][] v) {
        int k = o.innerSteps();
        int tasks = v.length;
        boolean firstOrder = o.firstOrder() || step < o.firstOrderSteps();
        double[] w = o.multiStepLoss() == null ? null : o.multiStepLoss().weights(k, step);
        double[][] out = new double[tasks][];
        double[][] g = arrays(tasks, v[0].length, 1);
        for (int t = 0; t < tasks; t++) {
            if (meta.length > v[t].length) out[t] = new double[meta.length];
            if (w != null) scale(v[t], w[k - 1]);
        }
        for (int j = k - 1; j >= 0; j--) {
            for (int t = 0; t < tasks; t++) {
                o.batchNorm().credit(v[t], j + 1, out[t]);
                o.rule().creditRates(path.grads()[j][t], v[t], j, out[t]);
            }
            if (!firstOrder) o.rule().backThrough(learner, j, path.steps()[j], v, g);
            if (w != null && j >= 1) { // multi-step loss: the query loss after inner step j, weighted
                learner.gradients(k + 1, path.p()[j], query, g, false);
                for (int t = 0; t < tasks; t++) {
                    for (int i = 0; i < v[t].length; i++) v[t][i] += w[j - 1] * g[t][i];
                }
            }
        }
        for (int t = 0; t < tasks; t++) {
            if (out[t] == null) {
                out[t] = v[t];
            } else {
                System.arraycopy(v[t], 0, out[t], 0, v[t].length);
            }
        }
        return out;
    }

    /** {@code tasks} arrays of {@code length}: this thread's scratch {@code slot} for one task, else new ones. */
    private static double[][] arrays(int tasks, int length, int slot) {
        double[][] a = new double[tasks][];
        for (int t = 0; t < tasks; t++) {
            a[t] = tasks == 1 && slot != Scratch.NONE ? Scratch.of(slot, length) : new double[length];
        }
        return a;
    }

    private static void scale(double[] v, double a) {
        for (int i = 0; i < v.length; i++) v[i] *= a;
    }

    /** Meta-test: the rule's step j and step j's batch norm. */
    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps, int evalSteps,
                                   boolean accuracy) {
        return InnerSgd.evaluate(learner, task, networkParams(meta, numParams), evalInnerSteps, evalSteps, accuracy,
                j -> o.rule().step(meta, j), (u, j) -> o.batchNorm().forward(meta, u, j));
    }
}
