package ai.metaspark.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Successive halving's arithmetic (Jamieson and Talwalkar 2016; Li et al. 2018). With reduction factor eta, minimum
 * budget r and maximum budget R (meta-steps), there are s + 1 rungs, s = max{ i : R / eta^i >= r }; rung i gives each
 * of its trials the budget r_i = round(R / eta^(s - i)) (the last rung R itself) and holds
 * n_i = max(1, floor(n / eta^i)) of the n trials: the best n_(i+1) of rung i go on to rung i + 1.
 */
public final class Halving {
    private Halving() {
    }

    /** r_0 .. r_s. */
    public static List<Integer> budgets(int min, int max, int eta) {
        int s = 0;
        while ((double) max / Math.pow(eta, s + 1) >= min) s++;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i <= s; i++) {
            int b = (int) Math.round(max / Math.pow(eta, s - i));
            if (out.isEmpty() || b > out.get(out.size() - 1)) out.add(b);
        }
        return out;
    }

    /** n_i: how many of {@code n} trials rung {@code i} holds. */
    public static int size(int n, int eta, int rung) {
        return (int) Math.max(1, Math.floor(n / Math.pow(eta, rung)));
    }

    /** The best {@code count} of a rung's results: done before failed, then by the metric, then by trial id. */
    public static List<TrialResult> best(List<TrialResult> results, int count, boolean maximize) {
        return results.stream().sorted(order(maximize)).limit(count).toList();
    }

    /** The ranking order: done results first, better metric first, lower trial id first on ties. */
    public static Comparator<TrialResult> order(boolean maximize) {
        Comparator<TrialResult> byMetric = Comparator.comparingDouble(r -> maximize ? -r.mean() : r.mean());
        return Comparator.comparing((TrialResult r) -> !r.done()).thenComparing(byMetric).thenComparingInt(TrialResult::trial);
    }
}
