package ai.metaspark.sweep;

import ai.metaspark.sweep.SweepSpec.Scheduler;
import ai.metaspark.train.DivergedException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Drives a sweep: submits trial executions to a {@link TrialExecutor}, records each result as it arrives (trials.jsonl
 * and trials.csv rewritten, a progress line printed), promotes between rungs, and ends with best.yaml and a summary.
 * <ul>
 * <li>grid and random: one rung, every trial at {@code max_budget};</li>
 * <li>halving (synchronous): rung i runs all its trials to r_i, then its best n_(i+1) go on ({@link Halving}) and
 * continue from their own checkpoints; the decisions depend on the results alone, not on completion order;</li>
 * <li>asha: whenever a slot is free, the best not-yet-promoted trial of the highest rung whose top
 * floor(completed / eta) holds one goes on, else a new trial starts at rung 0 (Li et al. 2020); each decision is
 * recorded in decisions.jsonl, and a resumed sweep replays them before deciding anew.</li>
 * </ul>
 * A (trial, rung) with a recorded result is never run again, which makes {@code --resume} continue where a stopped or
 * crashed sweep was.
 */
public final class Sweep {
    private static final long POLL_MS = 50;

    private final SweepSpec spec;
    private final SweepFolder folder;
    private final TrialExecutor executor;
    private final PrintStream console;
    private final BooleanSupplier stop;
    private final List<Trial> trials;
    private final List<Integer> budgets;
    private final Map<Run, TrialResult> results = new LinkedHashMap<>();
    private final Map<Run, Future<TrialResult>> running = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private long stepsThisSession;

    /** One execution: a trial at a rung. */
    private record Run(int trial, int rung) {
    }

    /** The sweep's outcome: every result, and the best trial with its result at the highest rung reached. */
    public record Outcome(List<TrialResult> results, Trial best, TrialResult bestResult) {
    }

    public Sweep(SweepSpec spec, SweepFolder folder, TrialExecutor executor, PrintStream console, BooleanSupplier stop) {
        this.spec = spec;
        this.folder = folder;
        this.executor = executor;
        this.console = console;
        this.stop = stop;
        this.trials = spec.trialList();
        this.budgets = spec.budgets();
    }

    /** Runs the sweep to its end; throws {@link SweepStoppedException} when stopped (the record stays consistent). */
    public Outcome run() {
        for (Trial t : trials) {
            for (int r = 0; r < budgets.size(); r++) {
                TrialResult recorded = folder.result(t, r);
                if (recorded != null) results.put(new Run(t.id(), r), recorded);
            }
        }
        console.printf(Locale.ROOT, "sweep: %s over %s, %d trials, budgets %s meta-steps, metric: %s mean (%s) -> %s; %s%n",
                spec.scheduler().label(), String.join(", ", spec.space().keySet()), trials.size(), budgets,
                spec.metric().name().toLowerCase(Locale.ROOT), spec.direction(), folder.path(), executor.describe());
        if (!results.isEmpty()) console.printf("resuming: %d trial result(s) recorded; none of them runs again%n", results.size());
        if (spec.scheduler() == Scheduler.ASHA) runAsha();
        else runRungs();
        return finish();
    }

    private void runRungs() {
        List<Trial> members = trials;
        for (int rung = 0; rung < budgets.size(); rung++) {
            for (Trial t : members) {
                if (!results.containsKey(new Run(t.id(), rung))) submit(t, rung);
            }
            while (!running.isEmpty()) poll();
            if (rung + 1 < budgets.size()) members = promoted(rung, Halving.size(trials.size(), spec.eta(), rung + 1));
        }
    }

    /** The best {@code count} done trials of {@code rung}. */
    private List<Trial> promoted(int rung, int count) {
        return Halving.best(rungResults(rung), count, maximize()).stream().filter(TrialResult::done).map(r -> trials.get(r.trial())).toList();
    }

    private List<TrialResult> rungResults(int rung) {
        return results.values().stream().filter(r -> r.rung() == rung).toList();
    }

    private void runAsha() {
        List<int[]> decisions = new ArrayList<>(folder.decisions());
        for (int[] d : decisions) {
            if (!results.containsKey(new Run(d[0], d[1]))) submit(trials.get(d[0]), d[1]);
        }
        while (true) {
            while (running.size() < executor.slots()) {
                int[] next = nextAshaDecision(decisions);
                if (next == null) break;
                decisions.add(next);
                folder.writeDecisions(decisions);
                submit(trials.get(next[0]), next[1]);
            }
            if (running.isEmpty()) return;
            poll();
        }
    }

    /** ASHA's next (trial, rung): a promotion from the highest rung that has one due, else a new trial, else null. */
    private int[] nextAshaDecision(List<int[]> decisions) {
        for (int rung = budgets.size() - 2; rung >= 0; rung--) {
            Set<Integer> above = new HashSet<>();
            for (int[] d : decisions) if (d[1] == rung + 1) above.add(d[0]);
            List<TrialResult> done = rungResults(rung);
            for (TrialResult r : Halving.best(done, done.size() / spec.eta(), maximize())) {
                if (r.done() && !above.contains(r.trial())) return new int[]{r.trial(), rung + 1};
            }
        }
        long started = decisions.stream().filter(d -> d[1] == 0).count();
        return started < trials.size() ? new int[]{(int) started, 0} : null;
    }

    private void submit(Trial t, int rung) {
        TrialWork work = new TrialWork(t, rung, budgets.get(rung), spec.recipe(t), folder.trialFolder(t), spec.metric());
        running.put(new Run(t.id(), rung), executor.submit(work));
    }

    /** Waits a moment, then records every finished execution; stops everything when asked to. */
    private void poll() {
        if (stop.getAsBoolean()) stopNow();
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopNow();
        }
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isDone()) continue;
            it.remove();
            record(e.getKey(), get(e.getKey(), e.getValue()));
        }
    }

    private TrialResult get(Run run, Future<TrialResult> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            executor.cancelAll();
            folder.writeTable(trials, results.values());
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(String.format("trial %s at rung %d could not run: %s; the sweep's record is kept, "
                    + "--resume continues it", trials.get(run.trial()).name(), run.rung(), cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void stopNow() {
        executor.cancelAll();
        folder.writeTable(trials, results.values());
        throw new SweepStoppedException(results.size());
    }

    private void record(Run run, TrialResult r) {
        results.put(run, r);
        stepsThisSession += stepsOf(run.rung());
        folder.writeTable(trials, results.values());
        console.println(progress());
    }

    /** Meta-steps an execution at {@code rung} trains (a promoted trial continues from the rung below). */
    private long stepsOf(int rung) {
        return budgets.get(rung) - (rung == 0 ? 0 : budgets.get(rung - 1));
    }

    private String progress() {
        long failed = results.values().stream().filter(r -> !r.done()).count();
        int now = Math.min(running.size(), executor.slots());
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "sweep: %d run(s) done (%d failed), %d running, %d waiting",
                results.size(), failed, now, running.size() - now));
        TrialResult best = bestAtTop();
        if (best != null) {
            s.append(String.format(Locale.ROOT, "; best so far %s (%s) %s %.4f +- %.4f at %d steps", trials.get(best.trial()).name(),
                    SweepFolder.valuesText(trials.get(best.trial())), best.metric(), best.mean(), best.ci95(), best.budget()));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long left = plannedSteps() - results.keySet().stream().mapToLong(r -> stepsOf(r.rung())).sum();
        if (stepsThisSession > 0 && left > 0) s.append(String.format(Locale.ROOT, "; ETA %s", duration(left * seconds / stepsThisSession)));
        return s.toString();
    }

    /** Meta-steps the whole sweep trains (ASHA: as synchronous halving would). */
    private long plannedSteps() {
        long total = 0;
        for (int rung = 0; rung < budgets.size(); rung++) total += (long) Halving.size(trials.size(), spec.eta(), rung) * stepsOf(rung);
        return total;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60) : s + "s";
    }

    /** The best done result of the highest rung that has one, or null. */
    private TrialResult bestAtTop() {
        for (int rung = budgets.size() - 1; rung >= 0; rung--) {
            List<TrialResult> best = Halving.best(rungResults(rung), 1, maximize());
            if (!best.isEmpty() && best.get(0).done()) return best.get(0);
        }
        return null;
    }

    /** Whether the metric is maximized: direction max, or auto with accuracy. */
    private boolean maximize() {
        if (!spec.direction().equals("auto")) return spec.direction().equals("max");
        return results.values().stream().anyMatch(r -> r.done() && "accuracy".equals(r.metric()));
    }

    private Outcome finish() {
        folder.writeTable(trials, results.values());
        List<TrialResult> all = results.values().stream()
                .sorted(Comparator.comparingInt(TrialResult::rung).thenComparingInt(TrialResult::trial)).toList();
        TrialResult best = bestAtTop();
        if (best == null) {
            throw new DivergedException("every trial failed (see " + folder.path() + "/" + SweepFolder.TRIALS_CSV + " for their errors)", null);
        }
        Trial bestTrial = trials.get(best.trial());
        folder.writeBest(bestTrial, best, spec.recipe(bestTrial));
        printSummary(best.rung());
        console.printf(Locale.ROOT, "best: %s (%s) %s %.4f +- %.4f at %d meta-steps -> %s/%s%n", bestTrial.name(),
                SweepFolder.valuesText(bestTrial), best.metric(), best.mean(), best.ci95(), best.budget(), folder.path(), SweepFolder.BEST);
        console.printf("the same sweep file gives the same trials%s, and the same best trial%n",
                spec.scheduler() == Scheduler.ASHA ? "" : ", the same rungs");
        return new Outcome(all, bestTrial, best);
    }

    private void printSummary(int rung) {
        List<TrialResult> ranked = Halving.best(rungResults(rung), 10, maximize());
        console.printf(Locale.ROOT, "%nrank  trial  %-40s  %8s  %-22s  %8s%n", "values", "budget", "metric +- 95% CI", "wall s");
        int rank = 1;
        for (TrialResult r : ranked) {
            String metric = r.done() ? String.format(Locale.ROOT, "%.4f +- %.4f", r.mean(), r.ci95()) : "failed";
            console.printf(Locale.ROOT, "%4d  %s  %-40s  %8d  %-22s  %8.1f%n", rank++, trials.get(r.trial()).name(),
                    SweepFolder.valuesText(trials.get(r.trial())), r.budget(), metric, r.wallSeconds());
        }
        console.println();
    }
}
