package ai.metaspark.train;

import java.io.Serializable;
import java.util.List;

/**
 * The result of meta-steps {@code [from, end)} run in one go: the meta-parameters and optimizer state after them and a
 * record per step. A Spark job runs one segment; it comes back to the driver over the all-reduce connection (Java
 * serialization inside Kryo, once per job).
 *
 * @param end            the next step to run
 * @param meta           meta-parameters after step {@code end - 1}
 * @param optimizerState outer optimizer state after step {@code end - 1}
 * @param steps          one record per step run, in order
 */
public record Segment(int end, double[] meta, double[] optimizerState, List<StepRecord> steps) implements Serializable {
    private static final long serialVersionUID = 1L;
}
