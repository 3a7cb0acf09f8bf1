package ai.metaspark.data;

import ai.metaspark.task.Batch;

import java.util.SplittableRandom;

/**
 * Which images an N-way K-shot task of an image family (Omniglot, image folders) uses: label l is class
 * {@code classes[l]} (a character, a class folder) turned {@code quarterTurns[l]} quarter turns counterclockwise, with
 * the distinct images {@code images[l]}, the support images first. Both families draw and batch their episodes here,
 * so the same classes give the same tasks through either.
 */
public record Episode(int[] classes, int[] quarterTurns, int[][] images) {
    /** The classes a split draws from. */
    public interface Pool {
        /** How many classes. */
        int size();

        /** The class (character, folder) of pool entry {@code i}. */
        int classAt(int i);

        /** The quarter turns of pool entry {@code i} (drawn from {@code rng} where turns are random). */
        int quarterTurnsAt(int i, SplittableRandom rng);

        /** How many images class {@code cls} has. */
        int imageCount(int cls);
    }

    /** Where the pixels come from: image {@code image} of class {@code cls}, turned, into {@code x} at {@code offset}. */
    public interface Images {
        void copyTo(int cls, int image, int quarterTurns, double[] x, int offset);
    }

    /**
     * {@code ways} distinct classes of {@code pool}, then per label in order its class, its turn and {@code perClass}
     * distinct images, all from {@code rng}.
     */
    public static Episode draw(SplittableRandom rng, Pool pool, int ways, int perClass) {
        int[] drawn = Draws.distinct(rng, pool.size(), ways);
        int[] classes = new int[ways];
        int[] turns = new int[ways];
        int[][] images = new int[ways][];
        for (int label = 0; label < ways; label++) {
            classes[label] = pool.classAt(drawn[label]);
            turns[label] = pool.quarterTurnsAt(drawn[label], rng);
            images[label] = Draws.distinct(rng, pool.imageCount(classes[label]), perClass);
        }
        return new Episode(classes, turns, images);
    }

    /**
     * Images {@code first .. first+perClass-1} of each label, class-major, as rows of {@code inputSize} pixels, with
     * one-hot targets over the labels.
     */
    public Batch batch(Images source, int inputSize, int first, int perClass) {
        int ways = classes.length;
        int n = ways * perClass;
        double[] x = new double[n * inputSize];
        double[] y = new double[n * ways];
        for (int label = 0; label < ways; label++) {
            for (int k = 0; k < perClass; k++) {
                int row = label * perClass + k;
                source.copyTo(classes[label], images[label][first + k], quarterTurns[label], x, row * inputSize);
                y[row * ways + label] = 1;
            }
        }
        return new Batch(n, inputSize, ways, x, y);
    }
}
