package ai.metaspark.optim;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.nd4j.linalg.schedule.ISchedule;

/** Cosine annealing from {@code initial} to {@code min} over {@code steps} iterations (Loshchilov and Hutter 2017). */
public final class CosineSchedule implements ISchedule {
    private final double initial;
    private final double min;
    private final int steps;

    public CosineSchedule(@JsonProperty("initial") double initial, @JsonProperty("min") double min,
                          @JsonProperty("steps") int steps) {
        this.initial = initial;
        this.min = min;
        this.steps = steps;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = Math.min(1.0, iteration / (double) Math.max(1, steps));
        return min + 0.5 * (initial - min) * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(initial, min, steps);
    }
}
