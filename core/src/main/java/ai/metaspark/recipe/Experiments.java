package ai.metaspark.recipe;

import ai.metaspark.algo.AlgorithmSpec;
import ai.metaspark.algo.Algorithms;
import ai.metaspark.algo.MetaAlgorithm;
import ai.metaspark.algo.TransferHead;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.task.LabelledExamples;
import ai.metaspark.config.ConfigException;
import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.eval.EvalPlan;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.optim.OptimizerSpec;
import ai.metaspark.task.Split;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSampler;
import ai.metaspark.train.Experiment;

import java.util.List;
import java.util.Locale;

/** Builds and validates the typed {@link Experiment} of a configuration: the one place keys become values. */
final class Experiments {
    private Experiments() {
    }

    /**
     * The experiment of {@code c}. Refuses combinations that cannot work (naming the keys), and draws one task of each
     * split the run uses, so that missing or corrupt data fail here, on the driver, with the data's own message.
     */
    static Experiment build(RunConfig c) {
        String task = c.get(Keys.TASK);
        TaskFamilyProvider provider = Families.named(task);
        TaskFamily family = provider.family(new FamilyKeys(provider, c));
        String model = c.get(Keys.MODEL).equals("auto") ? provider.defaultModel() : c.get(Keys.MODEL);
        AlgorithmSpec spec = algorithm(c);
        checkFits(c, spec, model, family.classification());
        NetworkSpec network = Networks.of(model, family, task, c);
        MetaAlgorithm algorithm = spec.name().equals("transfer") ? transfer(c, family, network) : Algorithms.of(spec, network);
        Experiment e = new Experiment(family, network, spec, algorithm, c.get(Keys.SEED),
                new Experiment.Episodes(c.getInt(Keys.K_SHOT), c.getInt(Keys.K_QUERY)), c.getInt(Keys.META_BATCH),
                optimizer(c), schedule(c), evaluation(c, spec), c.get(Keys.BACKEND), execution(c),
                new Experiment.Classifier(c.getInt(Keys.TRANSFER_EPOCHS), c.getInt(Keys.TRANSFER_BATCH)));
        checkData(e);
        return e;
    }

    private static AlgorithmSpec algorithm(RunConfig c) {
        return new AlgorithmSpec(c.get(Keys.ALGORITHM), c.getInt(Keys.INNER_STEPS), c.getDouble(Keys.INNER_LR),
                c.isOn(Keys.MSL), c.getInt(Keys.MSL_ANNEAL_STEPS), c.getInt(Keys.FIRST_ORDER_STEPS), c.isOn(Keys.LSLR),
                c.isOn(Keys.PER_STEP_BN));
    }

    /** The transfer baseline's meta-test: a new head on the body of a classifier over every training class. */
    private static MetaAlgorithm transfer(RunConfig c, TaskFamily family, NetworkSpec network) {
        LabelledExamples examples = family.trainingExamples().orElseThrow(() -> new ConfigException(
                "algorithm transfer trains a classifier over the training classes; task " + c.get(Keys.TASK) + " has none"));
        if (!c.get(Keys.INIT_FROM).isEmpty()) {
            throw new ConfigException("init_from starts a meta-learner from a transfer run; algorithm transfer trains its own classifier");
        }
        if (c.get(Keys.LR_SCHEDULE).equals("step")) {
            throw new ConfigException("lr_schedule step: algorithm transfer decays its rate per epoch, by cosine or none");
        }
        TransferHead.Head head = TransferHead.Head.valueOf(c.get(Keys.TRANSFER_HEAD).toUpperCase(Locale.ROOT));
        if (c.isOn(Keys.TRANSFER_FINETUNE) && head != TransferHead.Head.LINEAR) {
            throw new ConfigException("transfer_finetune: true trains a linear head with the body, not transfer_head " + c.get(Keys.TRANSFER_HEAD));
        }
        return new TransferHead(((Conv4Model) network).conv(), examples.classes(), head, c.getDouble(Keys.INNER_LR),
                c.isOn(Keys.TRANSFER_FINETUNE));
    }

    /**
     * ANIL and ProtoNets need a Conv-4 body; pretrain needs regression; the MAML++ options apply to MAML; per-step
     * batch norm needs batch norm.
     */
    private static void checkFits(RunConfig c, AlgorithmSpec spec, String model, boolean classification) {
        String algo = spec.name();
        if ((algo.equals("protonet") || algo.equals("anil") || algo.equals("transfer")) && model.equals("mlp")) {
            throw new ConfigException("algorithm " + algo + " needs a conv4 or conv4-strided model (a classification task "
                    + "such as omniglot or image-folder), not model mlp");
        }
        if (algo.equals("pretrain") && (classification || !model.equals("mlp"))) {
            throw new ConfigException("algorithm pretrain trains one shared head, which classification tasks cannot "
                    + "share (each task orders its labels at random); use algorithm transfer, a classifier over every "
                    + "training class with a new head per test task");
        }
        int trainNWay = c.getInt(Keys.TRAIN_N_WAY);
        if (trainNWay != 0 && trainNWay != c.getInt(Keys.N_WAY) && !algo.equals("protonet")) {
            throw new ConfigException("train_n_way " + trainNWay + " differs from n_way " + c.getInt(Keys.N_WAY)
                    + ": only algorithm protonet (no classifier head) trains and tests with different N, not " + algo);
        }
        for (ConfigKey<String> key : List.of(Keys.LSLR, Keys.PER_STEP_BN)) {
            if (c.isOn(key) && !spec.mamlFamily()) {
                throw new ConfigException(key.name() + ": true applies to algorithm maml or fomaml, not " + algo);
            }
        }
        if (spec.perStepBn() && model.equals("mlp")) {
            throw new ConfigException("per_step_bn: true needs batch norm (model conv4 or conv4-strided), not model mlp");
        }
    }

    private static OptimizerSpec optimizer(RunConfig c) {
        OptimizerSpec.Rule rule = OptimizerSpec.Rule.valueOf(c.get(Keys.OUTER_OPTIMIZER).toUpperCase(Locale.ROOT));
        OptimizerSpec.Decay decay = OptimizerSpec.Decay.valueOf(c.get(Keys.LR_SCHEDULE).toUpperCase(Locale.ROOT));
        return new OptimizerSpec(rule, c.getDouble(Keys.OUTER_LR), c.getDouble(Keys.MOMENTUM), c.getDouble(Keys.CLIP_NORM),
                new OptimizerSpec.Schedule(decay, c.getInt(Keys.LR_DECAY_EVERY), c.getDouble(Keys.LR_DECAY_RATE),
                        c.getDouble(Keys.LR_MIN), c.getInt(Keys.META_STEPS)));
    }

    private static Experiment.Schedule schedule(RunConfig c) {
        return new Experiment.Schedule(c.getInt(Keys.META_STEPS), c.getInt(Keys.LOG_EVERY), c.getInt(Keys.VAL_EVERY),
                c.getInt(Keys.VAL_TASKS), c.getInt(Keys.PATIENCE), c.getInt(Keys.CHECKPOINT_EVERY));
    }

    private static Experiment.Execution execution(RunConfig c) {
        return new Experiment.Execution(c.getInt(Keys.THREADS), c.getInt(Keys.PARTITIONS), c.getInt(Keys.STEPS_PER_JOB),
                c.getInt(Keys.KEEP_CHECKPOINTS));
    }

    /**
     * The meta-test plan: the result is taken after eval_inner_steps (0: inner_steps) and the curve runs to
     * max(eval_steps, that); both 0 for Prototypical Networks, whose adaptation is computing the prototypes.
     */
    private static EvalPlan evaluation(RunConfig c, AlgorithmSpec spec) {
        int e = c.getInt(Keys.EVAL_INNER_STEPS);
        int evalInnerSteps = !spec.hasInnerLoop() ? 0 : e > 0 ? e : c.getInt(Keys.INNER_STEPS);
        int evalSteps = !spec.hasInnerLoop() ? 0 : Math.max(c.getInt(Keys.EVAL_STEPS), evalInnerSteps);
        return new EvalPlan(c.getInt(Keys.EVAL_TASKS), evalInnerSteps, evalSteps, c.getInt(Keys.EVAL_QUERY));
    }

    /** Draws one task of each split the run uses (data problems raise {@link ai.metaspark.data.DataException}). */
    private static void checkData(Experiment e) {
        TaskSampler sampler = e.sampler();
        e.trainTask(sampler.metaBatch(0, 1).get(0));
        if (e.schedule().valEvery() > 0) e.heldOutTask(sampler.heldOut(Split.VALIDATION, 1).get(0));
        e.heldOutTask(sampler.heldOut(Split.TEST, 1).get(0));
    }
}
