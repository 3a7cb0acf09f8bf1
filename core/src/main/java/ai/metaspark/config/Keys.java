package ai.metaspark.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every configuration key of MetaSpark, declared once with its default and documentation. The defaults are the MAML
 * paper's sinusoid setting (Finn et al. 2017, section 5.1). {@code docs/configuration.md} is generated from this list by
 * {@code bin/metaspark keys}.
 */
public final class Keys {
    private static final Map<String, ConfigKey<?>> ALL = new LinkedHashMap<>();

    public static final ConfigKey<String> ALGORITHM = choice("algorithm", "maml",
            "meta-learning algorithm (anil, protonet and transfer need a conv4 model)", "maml", "fomaml", "reptile", "metasgd",
            "pretrain", "anil", "protonet", "transfer");
    public static final ConfigKey<String> TASK = add(new ConfigKey<>("task", ConfigKey.Type.STRING, "sinusoid",
            v -> v.matches("[a-z0-9][a-z0-9_-]*"), "a task family name", null,
            "task family, one of those registered (ai.metaspark.recipe.TaskFamilyProvider): sinusoid regression (MSE), "
                    + "N-way K-shot omniglot classification (cross-entropy, accuracy), N-way K-shot image-folder "
                    + "classification of your own images, table: one task per task_key of your own table (docs/own-data.md)"));
    public static final ConfigKey<String> DATA = add(new ConfigKey<>("data", ConfigKey.Type.STRING, "../shared/data/omniglot",
            v -> !v.isBlank(), "a path", null,
            "data folder (any Hadoop path: file:, hdfs:, s3a:): the Omniglot folder (task omniglot), the folder of class "
                    + "folders (task image-folder), the Parquet or CSV table, a file or a folder of files (task table); a relative path is resolved against $METASPARK_HOME "
                    + "(bin/metaspark exports the project root), else the project root found above the working directory"));
    public static final ConfigKey<String> PROTOCOL = choice("protocol", "vinyals",
            "omniglot split protocol: vinyals (1200 train characters x 4 rotations) or maml (the MAML reference's split)",
            "vinyals", "maml");
    public static final ConfigKey<Integer> CHANNELS = intKey("channels", 3, v -> v == 1 || v == 3, "1 or 3",
            "image-folder: channels of the decoded images, 3 = red, green, blue or 1 = grayscale luminance "
                    + "(0.299 R + 0.587 G + 0.114 B); values are plain intensities in [0, 1] (0 = black)");
    public static final ConfigKey<Integer> IMAGE_SIZE = intKey("image_size", 28, v -> v >= 4 && v <= 512,
            "an integer in 4..512", "image-folder: every image is resized to image_size x image_size pixels (area "
                    + "averaging where it shrinks, bilinear where it grows; the aspect ratio is not kept); model conv4 "
                    + "needs at least 16");
    public static final ConfigKey<String> CLASS_SPLIT = add(new ConfigKey<>("class_split", ConfigKey.Type.STRING,
            "0.6,0.2,0.2", v -> !v.isBlank() && (!looksLikeFractions(v) || classSplitFractions(v).isPresent()),
            "train,val,test fractions summing to 1, or a folder", null,
            "image-folder: how class folders are split into training, validation and test classes: three fractions "
                    + "(the sorted class folders shuffled with split_seed, then cut), or a folder holding train.txt, "
                    + "val.txt and test.txt (one class folder name per line; a relative folder is taken inside data, "
                    + "so '.' means the lists lie beside the class folders; unlisted folders are not used). table: "
                    + "the fractions of the task keys (by a hash of the key and split_seed; no folder)"));
    public static final ConfigKey<Long> SPLIT_SEED = longKey("split_seed", 1L,
            "image-folder, table: seed of the class_split shuffle (of the key hash), independent of seed, so that every "
                    + "run and every sweep trial sees the same classes (keys) in each split");
    public static final ConfigKey<String> ROTATE_CLASSES = choice("rotate_classes", "false",
            "image-folder: each class folder also gives three more classes, its images turned 90, 180 and 270 "
                    + "degrees counterclockwise (as the MAML and Prototypical Networks Omniglot protocols); the four "
                    + "are in the folder's split", "false", "true");
    public static final ConfigKey<String> TASK_KEY = add(new ConfigKey<>("task_key", ConfigKey.Type.STRING, "user",
            v -> !v.isBlank(), "a column name", null,
            "table: the column whose values are the tasks (a user, store or device: its rows are one task); any type, "
                    + "compared as text"));
    public static final ConfigKey<List<String>> FEATURES = add(new ConfigKey<>("features", ConfigKey.Type.STRING_LIST,
            List.of(), v -> true, "a list of column names", null,
            "table: the input columns (numeric), or one array or vector column; empty: every numeric column but "
                    + "task_key and label, in the table's order. Standardized with the training keys' means and "
                    + "standard deviations"));
    public static final ConfigKey<String> LABEL = add(new ConfigKey<>("label", ConfigKey.Type.STRING, "label",
            v -> !v.isBlank(), "a column name", null,
            "table: the target column (numeric; classification: its distinct values per key are the classes)"));
    public static final ConfigKey<String> OBJECTIVE = choice("objective", "regression",
            "table: regression (MSE on the label) or classification (cross-entropy, accuracy; each key's labels are "
                    + "remapped to 0..c-1 in a random order per task)", "regression", "classification");
    public static final ConfigKey<String> TABLE_FORMAT = choice("table_format", "auto",
            "table: how data is read: parquet, csv (a header line, comma-separated) or auto (by the files' extension)",
            "auto", "parquet", "csv");
    public static final ConfigKey<String> TABLE_CACHE = add(new ConfigKey<>("table_cache", ConfigKey.Type.STRING, "",
            v -> true, "a path or empty", null,
            "table: where the table, grouped by task_key, is written once for the executors to read (any Hadoop path "
                    + "they can reach), one folder per table version and settings; empty: .metaspark/tables in the home "
                    + "folder of data's file system"));
    public static final ConfigKey<Integer> N_WAY = intKey("n_way", 5, v -> v >= 2, "an integer >= 2",
            "classes per classification task (N): every task of meta-testing and validation, and of meta-training unless train_n_way is set");
    public static final ConfigKey<Integer> TRAIN_N_WAY = intKey("train_n_way", 0, v -> v == 0 || v >= 2, "0 or an integer >= 2",
            "classes per meta-training task (0: n_way). Prototypical Networks train with more ways than they test "
                    + "(Snell et al.: 60); algorithms with a classifier head need train_n_way = n_way");
    public static final ConfigKey<String> MODEL = choice("model", "auto",
            "network: mlp (hidden, activation; MSE, or for classification softmax cross-entropy over the flattened "
                    + "pixels), conv4 (Conv-4 with max-pool, 64-d embedding for 28x28 images), conv4-strided (MAML's "
                    + "strided Conv-4), auto (mlp for sinusoid, conv4 for omniglot and image-folder)",
            "auto", "mlp", "conv4", "conv4-strided");
    public static final ConfigKey<Integer> META_STEPS = positiveInt("meta_steps", 70_000, "outer (meta) steps");
    public static final ConfigKey<Integer> META_BATCH = positiveInt("meta_batch", 25, "tasks per meta-step");
    public static final ConfigKey<Long> SEED = longKey("seed", 1L, "root seed; every random draw derives from (seed, step, task index)");
    public static final ConfigKey<Integer> EVAL_TASKS = positiveInt("eval_tasks", 600, "unseen test tasks in the final meta-test");
    public static final ConfigKey<Integer> EVAL_STEPS = intKey("eval_steps", 10, v -> v >= 0, "an integer >= 0",
            "the meta-test records the query loss (classification: accuracy) after 0..eval_steps inner steps");
    public static final ConfigKey<Integer> EVAL_INNER_STEPS = intKey("eval_inner_steps", 0, v -> v >= 0, "an integer >= 0",
            "inner steps whose result is the meta-test's mean (0: inner_steps); MAML's Omniglot test uses 10");
    public static final ConfigKey<Integer> EVAL_QUERY = positiveInt("eval_query", 100,
            "query points per meta-test task (classification: per class, so K + eval_query <= 20 for omniglot; "
                    + "image-folder skips held-out classes with fewer than K + eval_query images)");
    public static final ConfigKey<Integer> K_SHOT = positiveInt("k_shot", 10, "support examples per task (K; classification: per class)");
    public static final ConfigKey<Integer> K_QUERY = positiveInt("k_query", 10, "query examples per training task "
            + "(classification: per class; image-folder skips training classes with fewer than K + k_query images)");
    public static final ConfigKey<Integer> INNER_STEPS = positiveInt("inner_steps", 1, "inner-loop SGD steps per task");
    public static final ConfigKey<Double> INNER_LR = positiveDouble("inner_lr", 0.01, "inner-loop learning rate (Meta-SGD: its initial value)");
    public static final ConfigKey<String> MSL = choice("msl", "false",
            "MAML++ multi-step loss (maml, fomaml): the meta-objective weighs the query loss after every inner step, "
                    + "annealed toward the last over msl_anneal_steps", "false", "true");
    public static final ConfigKey<Integer> MSL_ANNEAL_STEPS = positiveInt("msl_anneal_steps", 10_000,
            "meta-steps over which the multi-step-loss weights of the non-final inner steps fall from 1/k to 0.03/k");
    public static final ConfigKey<Integer> FIRST_ORDER_STEPS = intKey("first_order_steps", 0, v -> v >= 0,
            "an integer >= 0", "MAML++ derivative-order annealing (maml): first-order meta-gradients before this meta-step");
    public static final ConfigKey<String> LSLR = choice("lslr", "false",
            "MAML++ learned per-layer per-step inner learning rates (maml, fomaml): one rate per parameter tensor and inner "
                    + "step, starting at inner_lr, learned by the outer loop", "false", "true");
    public static final ConfigKey<String> PER_STEP_BN = choice("per_step_bn", "false",
            "MAML++ per-step batch norm (maml, fomaml; conv4 models): batch-norm weights and biases of their own at "
                    + "every inner step, learned by the outer loop and not adapted by the inner one", "false", "true");
    public static final ConfigKey<List<Integer>> HIDDEN = add(new ConfigKey<>("hidden", ConfigKey.Type.INT_LIST, List.of(40, 40),
            l -> !l.isEmpty() && l.stream().allMatch(h -> h >= 1), "a non-empty list of layer widths >= 1", null,
            "hidden layer widths of the MLP"));
    public static final ConfigKey<String> ACTIVATION = choice("activation", "relu", "hidden activation", "relu", "tanh");
    public static final ConfigKey<String> BACKEND = choice("backend", "auto",
            "gradient backend: fast (MLP: hand-written batched kernels; Conv-4: oneDNN on the CPU), dl4j (MLP: "
                    + "MultiLayerNetwork; Conv-4: ND4J operations, on a GPU when ND4J's CUDA backend is on the class path), "
                    + "auto (MLP: fast; Conv-4: dl4j when ND4J runs on a GPU, else fast)",
            "auto", "fast", "dl4j");
    public static final ConfigKey<String> OUTER_OPTIMIZER = choice("outer_optimizer", "adam", "outer optimizer (DL4J's update rules, plain Java)",
            "adam", "nesterov", "sgd");
    public static final ConfigKey<Double> OUTER_LR = positiveDouble("outer_lr", 1e-3, "outer (meta) learning rate");
    public static final ConfigKey<Double> MOMENTUM = doubleKey("momentum", 0.9, v -> v >= 0 && v < 1, "a number in [0, 1)",
            "momentum of the nesterov outer optimizer");
    public static final ConfigKey<String> LR_SCHEDULE = choice("lr_schedule", "none",
            "outer learning-rate schedule: none, step (x lr_decay_rate every lr_decay_every steps), cosine (to lr_min at meta_steps)",
            "none", "step", "cosine");
    public static final ConfigKey<Integer> LR_DECAY_EVERY = positiveInt("lr_decay_every", 10_000, "steps between step decays");
    public static final ConfigKey<Double> LR_DECAY_RATE = doubleKey("lr_decay_rate", 0.5, v -> v > 0 && v <= 1,
            "a number in (0, 1]", "factor of each step decay");
    public static final ConfigKey<Double> LR_MIN = doubleKey("lr_min", 0.0, v -> v >= 0, "a number >= 0",
            "final learning rate of the cosine schedule");
    public static final ConfigKey<Double> CLIP_NORM = doubleKey("clip_norm", 0.0, v -> v >= 0, "a number >= 0",
            "clip the meta-gradient to this global L2 norm (0: off)");
    public static final ConfigKey<Integer> VAL_EVERY = intKey("val_every", 1000, v -> v >= 0, "an integer >= 0",
            "meta-validation every this many steps (0: off)");
    public static final ConfigKey<Integer> VAL_TASKS = positiveInt("val_tasks", 100, "tasks per meta-validation");
    public static final ConfigKey<Integer> PATIENCE = intKey("patience", 0, v -> v >= 0, "an integer >= 0",
            "early stopping: stop after this many validations without improvement (0: off); the best parameters are kept");
    public static final ConfigKey<Integer> TRANSFER_EPOCHS = positiveInt("transfer_epochs", 10,
            "transfer: passes of the classifier's training over every training image");
    public static final ConfigKey<Integer> TRANSFER_BATCH = positiveInt("transfer_batch", 64,
            "transfer: images per minibatch of the classifier's training");
    public static final ConfigKey<String> TRANSFER_HEAD = choice("transfer_head", "linear",
            "transfer: the new head fitted per test task (linear: Baseline, cosine: Baseline++)", "linear", "cosine");
    public static final ConfigKey<String> TRANSFER_FINETUNE = choice("transfer_finetune", "false",
            "transfer: train the body along with the new head per test task (linear head only) instead of freezing it",
            "false", "true");
    public static final ConfigKey<String> INIT_FROM = add(new ConfigKey<>("init_from", ConfigKey.Type.STRING, "",
            v -> true, "a path or empty", null, "a finished transfer run folder (any Hadoop path) whose classifier body starts the "
                    + "network (model conv4 or conv4-strided, as that run's; the head starts fresh); empty: none"));
    public static final ConfigKey<Integer> THREADS = intKey("threads", 0, v -> v >= 0, "an integer >= 0",
            "worker threads for the meta-batch (0: one per core); results do not depend on it");
    public static final ConfigKey<Integer> PARTITIONS = intKey("partitions", 0, v -> v >= 0, "an integer >= 0",
            "Spark tasks per meta-step (0: the cluster's default parallelism); results do not depend on it");
    public static final ConfigKey<Integer> STEPS_PER_JOB = intKey("steps_per_job", 0, v -> v >= 0, "an integer >= 0",
            "meta-steps per Spark job (0: auto, about twenty seconds of work per job; 1: one job per step, no barrier mode); "
                    + "results do not depend on it");
    public static final ConfigKey<Integer> LOG_EVERY = positiveInt("log_every", 100, "steps between lines of metrics.jsonl");
    public static final ConfigKey<Integer> CHECKPOINT_EVERY = intKey("checkpoint_every", 5000, v -> v >= 0,
            "an integer >= 0", "steps between checkpoints (0: only the final one)");
    public static final ConfigKey<Integer> KEEP_CHECKPOINTS = positiveInt("keep_checkpoints", 3, "checkpoints kept");

    /** Keys that change how a run is executed or logged but not its results: they may differ on resume. */
    public static final Set<ConfigKey<?>> OPERATIONAL = Set.of(THREADS, PARTITIONS, STEPS_PER_JOB, LOG_EVERY, CHECKPOINT_EVERY, KEEP_CHECKPOINTS);

    private Keys() {
    }

    /**
     * The three fractions (train, validation, test) of a {@code class_split} value, when it is fractions: three
     * numbers >= 0, comma-separated, summing to 1 (to 1e-6); empty otherwise.
     */
    public static Optional<double[]> classSplitFractions(String value) {
        String[] parts = value.split(",", -1);
        if (parts.length != 3) return Optional.empty();
        double[] f = new double[3];
        try {
            for (int i = 0; i < 3; i++) f[i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean ok = f[0] >= 0 && f[1] >= 0 && f[2] >= 0 && Math.abs(f[0] + f[1] + f[2] - 1) <= 1e-6;
        return ok ? Optional.of(f) : Optional.empty();
    }

    /**
     * Whether a {@code class_split} value is meant as fractions (digits, dots, commas and spaces, with a digit), not a
     * folder.
     */
    public static boolean looksLikeFractions(String value) {
        return value.matches("[0-9.,\\s]+") && value.matches(".*[0-9].*");
    }

    /** All keys in declaration order. */
    public static Map<String, ConfigKey<?>> all() {
        return Collections.unmodifiableMap(ALL);
    }

    private static <T> ConfigKey<T> add(ConfigKey<T> key) {
        ALL.put(key.name(), key);
        return key;
    }

    private static ConfigKey<Integer> positiveInt(String name, int def, String doc) {
        return intKey(name, def, v -> v >= 1, "an integer >= 1", doc);
    }

    private static ConfigKey<Integer> intKey(String name, int def, Predicate<Integer> ok, String expected, String doc) {
        return add(new ConfigKey<>(name, ConfigKey.Type.INT, def, ok, expected, null, doc));
    }

    private static ConfigKey<Long> longKey(String name, long def, String doc) {
        return add(new ConfigKey<>(name, ConfigKey.Type.LONG, def, v -> true, "an integer", null, doc));
    }

    private static ConfigKey<Double> positiveDouble(String name, double def, String doc) {
        return doubleKey(name, def, v -> v > 0 && Double.isFinite(v), "a finite number > 0", doc);
    }

    private static ConfigKey<Double> doubleKey(String name, double def, Predicate<Double> ok, String expected, String doc) {
        return add(new ConfigKey<>(name, ConfigKey.Type.DOUBLE, def, ok, expected, null, doc));
    }

    private static ConfigKey<String> choice(String name, String def, String doc, String... choices) {
        List<String> list = Arrays.asList(choices);
        return add(new ConfigKey<>(name, ConfigKey.Type.CHOICE, def, list::contains, "one of " + list, list, doc));
    }
}
