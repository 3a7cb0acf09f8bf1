package ai.metaspark.train;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of meta-steps {@code [from, end)} run in one go: the meta-parameters and optimizer state after them and a
 * record per step. A Spark job runs one segment; its bytes ({@link #toBytes()}) are what comes back to the driver.
 *
 * @param end            the next step to run
 * @param meta           meta-parameters after step {@code end - 1}
 * @param optimizerState outer optimizer state after step {@code end - 1}
 * @param steps          one record per step run, in order
 */
public record Segment(int end, double[] meta, double[] optimizerState, List<StepRecord> steps) {
    private static final int RECORD_FIELDS = 6;

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(Integer.BYTES * 4
                + Double.BYTES * (meta.length + optimizerState.length + RECORD_FIELDS * steps.size()));
        b.putInt(end).putInt(meta.length).putInt(optimizerState.length).putInt(steps.size());
        for (double v : meta) b.putDouble(v);
        for (double v : optimizerState) b.putDouble(v);
        for (StepRecord r : steps) {
            b.putDouble(r.preLoss()).putDouble(r.postLoss()).putDouble(r.preAccuracy()).putDouble(r.postAccuracy())
                    .putDouble(r.gradNorm()).putDouble(r.learningRate());
        }
        return b.array();
    }

    public static Segment fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int end = b.getInt();
        double[] meta = new double[b.getInt()];
        double[] state = new double[b.getInt()];
        int n = b.getInt();
        b.asDoubleBuffer().get(meta);
        b.position(b.position() + Double.BYTES * meta.length);
        b.asDoubleBuffer().get(state);
        b.position(b.position() + Double.BYTES * state.length);
        List<StepRecord> steps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            steps.add(new StepRecord(b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble()));
        }
        return new Segment(end, meta, state, steps);
    }
}
