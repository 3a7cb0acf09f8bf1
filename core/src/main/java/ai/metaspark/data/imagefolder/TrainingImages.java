package ai.metaspark.data.imagefolder;

import ai.metaspark.data.imagefolder.ClassPools.ClassPool;
import ai.metaspark.task.LabelledExamples;

import java.util.Arrays;

/**
 * The training pool of an image folder as one labelled data set: class i of the pool (a folder, or one of its turns)
 * with all its images. Examples are class-major: those of class i are {@code start[i] .. start[i+1]-1}.
 */
final class TrainingImages implements LabelledExamples {
    private final ImageFolderDataset data;
    private final ClassPool pool;
    private final int[] start;

    TrainingImages(ImageFolderDataset data, ClassPool pool) {
        this.data = data;
        this.pool = pool;
        this.start = new int[pool.size() + 1];
        for (int i = 0; i < pool.size(); i++) start[i + 1] = Math.addExact(start[i], data.imageCount(pool.folders()[i]));
    }

    @Override
    public int classes() {
        return pool.size();
    }

    @Override
    public int size() {
        return start[pool.size()];
    }

    @Override
    public int inputSize() {
        return data.shape().inputSize();
    }

    /** The class whose span of examples holds {@code example} (every class has at least one image). */
    @Override
    public int label(int example) {
        int at = Arrays.binarySearch(start, example);
        return at >= 0 ? at : -at - 2;
    }

    @Override
    public void copy(int example, float[] dst, int at) {
        int cls = label(example);
        data.copyTo(pool.folders()[cls], example - start[cls], pool.quarterTurns()[cls], dst, at);
    }
}
