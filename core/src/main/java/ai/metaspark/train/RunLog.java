package ai.metaspark.train;

import java.util.Map;

/** Where the outer loop reports: metrics lines and checkpoints (the run folder, or nothing in tests and benches). */
public interface RunLog {
    /** One line of metrics.jsonl. */
    void metrics(Map<String, Object> line);

    /** A resumable state at the end of a step. */
    void checkpoint(TrainState state);

    /** A log that keeps nothing. */
    RunLog NONE = new RunLog() {
        @Override
        public void metrics(Map<String, Object> line) {
        }

        @Override
        public void checkpoint(TrainState state) {
        }
    };
}
