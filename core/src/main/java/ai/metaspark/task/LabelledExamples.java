package ai.metaspark.task;

/**
 * The meta-training split of a classification family seen as one ordinary labelled data set: every training class
 * with all its examples. It is what the transfer baseline trains its classifier on (Chen et al. 2019, "Baseline"),
 * while test tasks still come from {@link TaskFamily#materialize}, so both kinds of learner meet the same tasks.
 */
public interface LabelledExamples {
    /** Classes of the training split (a class turned by a quarter is a class of its own where the split says so). */
    int classes();

    /** Examples of each class. */
    int examplesPerClass();

    /** Features per example. */
    int inputSize();

    /** Copies example {@code example} of class {@code cls} into {@code dst} from {@code at}. */
    void copy(int cls, int example, float[] dst, int at);
}
