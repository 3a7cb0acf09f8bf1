package ai.metaspark.task;

import java.io.Serializable;

/**
 * The shape of examples that are square images: {@code channels} planes of {@code side x side} values, stored
 * channel-major then row-major (CHW), which is what convolutional networks read.
 *
 * @param side     height = width in pixels
 * @param channels 1 (grayscale) or 3 (red, green, blue)
 */
public record ImageShape(int side, int channels) implements Serializable {
    public ImageShape {
        if (side < 1 || channels < 1) {
            throw new IllegalArgumentException("an image needs a side and channels >= 1, got " + side + " and " + channels);
        }
    }

    /** Values per image: {@code channels * side * side}. */
    public int inputSize() {
        return channels * side * side;
    }

    @Override
    public String toString() {
        return side + "x" + side + "x" + channels;
    }
}
