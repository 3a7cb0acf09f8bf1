package ai.metaspark.train;

import java.io.PrintStream;
import java.util.Locale;

/** A progress line every few seconds: step, losses, speed and ETA. */
final class Progress {
    static final long INTERVAL_NANOS = 5_000_000_000L;
    private final PrintStream out;
    private final int totalSteps;
    private final int tasksPerStep;
    private final long start = System.nanoTime();
    private final int firstStep;
    private long last = start;

    Progress(PrintStream out, int firstStep, int totalSteps, int tasksPerStep) {
        this.out = out;
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        this.tasksPerStep = tasksPerStep;
    }

    /** Prints a line if the interval has passed (or {@code force}). */
    void maybePrint(int stepsDone, double preLoss, double postLoss, boolean force) {
        long now = System.nanoTime();
        if (!force && now - last < INTERVAL_NANOS) return;
        last = now;
        double rate = stepsPerSecond(stepsDone);
        double eta = (totalSteps - stepsDone) / Math.max(rate, 1e-9);
        out.printf(Locale.ROOT, "step %d/%d  loss pre %.4f post %.4f  %.1f steps/s  %.0f tasks/s  ETA %s%n",
                stepsDone, totalSteps, preLoss, postLoss, rate, rate * tasksPerStep, duration(eta));
    }

    double stepsPerSecond(int stepsDone) {
        return (stepsDone - firstStep) / Math.max((System.nanoTime() - start) / 1e9, 1e-9);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
