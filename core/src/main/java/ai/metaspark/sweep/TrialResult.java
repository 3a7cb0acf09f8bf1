package ai.metaspark.sweep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;

/**
 * The outcome of one trial at one rung, as {@code trials/tNNNN/rung-R.json} and a line of {@code trials.jsonl} hold it.
 *
 * @param trial       the trial id
 * @param rung        the rung
 * @param budget      meta-steps trained
 * @param status      {@code done}, or {@code failed} (diverged, or a configuration the recipe refuses)
 * @param metric      what {@code mean} measures ({@code mse} or {@code accuracy}); null when failed before training
 * @param mean        the metric's mean over the split's tasks (NaN when failed)
 * @param ci95        half-width of its 95% confidence interval
 * @param wallSeconds wall time of this execution (training and measuring)
 * @param error       the failure's message, or null
 */
public record TrialResult(@JsonProperty("trial") int trial, @JsonProperty("rung") int rung, @JsonProperty("budget") int budget,
                          @JsonProperty("status") String status, @JsonProperty("metric") String metric,
                          @JsonProperty("mean") double mean, @JsonProperty("ci95") double ci95,
                          @JsonProperty("wall_s") double wallSeconds, @JsonProperty("error") String error) implements Serializable {
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    @JsonIgnore
    public boolean done() {
        return DONE.equals(status);
    }
}
