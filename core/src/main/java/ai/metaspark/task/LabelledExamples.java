package ai.metaspark.task;

/**
 * The meta-training split of a classification family seen as one ordinary labelled data set: every training class
 * with all its examples, numbered 0..size()-1. It is what the transfer baseline trains its classifier on (Chen et al.
 * 2019, "Baseline"), while test tasks still come from {@link TaskFamily#materialize}, so both kinds of learner meet the
 * same tasks. Classes may hold different numbers of examples.
 */
public interface LabelledExamples {
    /** Classes of the training split (a class turned by a quarter is a class of its own where the split says so). */
    int classes();

    /** Examples of all classes together. */
    int size();

    /** Features per example. */
    int inputSize();

    /** The class (0..classes()-1) of example {@code example}. */
    int label(int example);

    /** Copies example {@code example} into {@code dst} from {@code at}. */
    void copy(int example, float[] dst, int at);
}
