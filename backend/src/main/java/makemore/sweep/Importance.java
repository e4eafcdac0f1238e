package makemore.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which swept field mattered: a main-effect functional ANOVA over the observed points (params -> dev), so it reads a
 * grid and scattered random trials alike. Each field's values are put in bins and an additive model dev = mean +
 * one effect per field and bin is fitted (backfitting); a field's share is the variance of its effect over the
 * variance of dev. On a full grid that is exactly the count-weighted variance of the per-bin mean dev. Few points
 * make any field's bins differ by chance, so each share is corrected the way ANOVA's epsilon-squared is: (k - 1)
 * times the residual mean square (what the main effects leave, per residual degree of freedom) is taken off first.
 * What no single field explains is reported as "interactions and noise", so the shares and that rest sum to 1.
 */
public final class Importance {

    public static final String METHOD = "functional ANOVA, main effects: each field's values in bins (a grid's own"
            + " values, else up to 8 quantile bins), an additive model of dev over the bins, share = variance of a"
            + " field's effect over the variance of dev, less what as many bins would explain by chance"
            + " (epsilon-squared); finished points only; the rest is interactions and noise";
    public static final int MIN_POINTS = 4;
    static final int MAX_BINS = 8;
    /** Quantile bins hold about this many points or more, so a bin mean is not one noisy run. */
    static final int POINTS_PER_BIN = 3;

    /** One finished point: its swept values (numbers) and final dev. */
    public record Observation(Map<String, ?> params, double dev) {}

    /**
     * Values in [lo, hi] (lo == hi for a single grid value), how many points, and their mean dev with the other
     * fields' main effects taken out (on a full grid: the plain mean dev of the bin's points).
     */
    public record Bin(double lo, double hi, int n, double devMean) {}

    /** A field's share of the dev variance (0..1), its bins in value order, and the bin with the lowest mean dev. */
    public record FieldShare(String field, double share, List<Bin> bins, Bin best) {}

    /**
     * Fields by share, largest first, and the rest (interactions and noise). When there is too little to say,
     * {@code fields} is empty, {@code rest} null and {@code omitted} says why.
     */
    public record Result(String method, int points, List<FieldShare> fields, Double rest, String omitted) {
        static Result omitted(int points, String why) {
            return new Result(METHOD, points, List.of(), null, why);
        }
    }

    private Importance() {}

    /** The estimate over {@code fields} (those that do not vary among the points are left out). */
    public static Result estimate(List<String> fields, List<Observation> points) {
        int n = points.size();
        if (fields.size() < 2) {
            return Result.omitted(n, "one swept field (" + String.join("", fields) + "): its dev against its values"
                    + " is the whole story");
        }
        if (n < MIN_POINTS) {
            return Result.omitted(n, "needs at least " + MIN_POINTS + " finished points; " + n + " so far");
        }
        List<String> varying = new ArrayList<>();
        for (String f : fields) {
            if (points.stream().map(p -> value(p, f)).distinct().count() > 1) {
                varying.add(f);
            }
        }
        if (varying.size() < 2) {
            return Result.omitted(n, "needs two or more swept fields that vary among the finished points; "
                    + (varying.isEmpty() ? "none does" : "only " + varying.get(0) + " does"));
        }
        double grand = points.stream().mapToDouble(Observation::dev).average().orElseThrow();
        double total = points.stream().mapToDouble(p -> (p.dev() - grand) * (p.dev() - grand)).sum();
        if (!(total > 1e-18 * Math.max(1, grand * grand) * n)) {
            return Result.omitted(n, "every finished point has the same dev");
        }
        int[][] binOf = new int[varying.size()][];
        List<List<Bin>> plain = new ArrayList<>();
        int binsUsed = 0;
        for (int i = 0; i < varying.size(); i++) {
            List<Bin> bins = bins(varying.get(i), points);
            plain.add(bins);
            binOf[i] = binIndex(varying.get(i), bins, points);
            binsUsed += bins.size() - 1;
        }
        double[][] effect = backfit(points, grand, binOf, plain);
        double[] between = new double[varying.size()];
        double residual = 0;
        for (int j = 0; j < n; j++) {
            double fit = grand;
            for (int i = 0; i < effect.length; i++) {
                double e = effect[i][binOf[i][j]];
                between[i] += e * e;
                fit += e;
            }
            residual += (points.get(j).dev() - fit) * (points.get(j).dev() - fit);
        }
        int residualDf = n - 1 - binsUsed;
        double residualMeanSquare = residualDf > 0 ? residual / residualDf : 0;
        double[] share = new double[varying.size()];
        double sum = 0;
        for (int i = 0; i < share.length; i++) {
            share[i] = Math.max(0, between[i] - (plain.get(i).size() - 1) * residualMeanSquare) / total;
            sum += share[i];
        }
        // correlated scattered points can leave main effects that together exceed the whole variance
        double scale = sum > 1 ? 1 / sum : 1;
        List<FieldShare> out = new ArrayList<>();
        for (int i = 0; i < share.length; i++) {
            List<Bin> bins = new ArrayList<>();
            for (int b = 0; b < plain.get(i).size(); b++) {
                Bin p = plain.get(i).get(b);
                bins.add(new Bin(p.lo(), p.hi(), p.n(), grand + effect[i][b]));
            }
            Bin best = bins.stream().min(Comparator.comparingDouble(Bin::devMean)).orElseThrow();
            out.add(new FieldShare(varying.get(i), share[i] * scale, List.copyOf(bins), best));
        }
        out.sort(Comparator.comparingDouble(FieldShare::share).reversed());
        return new Result(METHOD, n, List.copyOf(out), Math.max(0, 1 - sum * scale), null);
    }

    /**
     * The additive main-effects model dev = grand + sum of effect[field][bin], fitted by backfitting: each field's
     * bin effects are the mean of what the other fields leave. On a full grid the first pass is already exact (the
     * plain bin means less the grand mean); scattered points, where a bin of one field holds an uneven share of
     * another's values, need the passes so one field is not credited with another's effect.
     */
    private static double[][] backfit(List<Observation> points, double grand, int[][] binOf, List<List<Bin>> bins) {
        int n = points.size();
        double[][] effect = new double[binOf.length][];
        double[] fit = new double[n];
        Arrays.fill(fit, grand);
        for (int i = 0; i < binOf.length; i++) {
            effect[i] = new double[bins.get(i).size()];
        }
        for (int pass = 0; pass < 100; pass++) {
            double moved = 0;
            for (int i = 0; i < binOf.length; i++) {
                double[] sum = new double[effect[i].length];
                int[] count = new int[effect[i].length];
                for (int j = 0; j < n; j++) {
                    int b = binOf[i][j];
                    sum[b] += points.get(j).dev() - (fit[j] - effect[i][b]);
                    count[b]++;
                }
                double[] next = new double[sum.length];
                double centre = 0;
                for (int b = 0; b < next.length; b++) {
                    next[b] = sum[b] / count[b];
                    centre += next[b] * count[b];
                }
                centre /= n;
                for (int b = 0; b < next.length; b++) {
                    next[b] -= centre;
                    moved = Math.max(moved, Math.abs(next[b] - effect[i][b]));
                }
                for (int j = 0; j < n; j++) {
                    fit[j] += next[binOf[i][j]] - effect[i][binOf[i][j]];
                }
                effect[i] = next;
            }
            if (moved < 1e-12) {
                break;
            }
        }
        return effect;
    }

    /** Which of {@code bins} (in value order, covering every value) each point falls in. */
    private static int[] binIndex(String field, List<Bin> bins, List<Observation> points) {
        int[] out = new int[points.size()];
        for (int j = 0; j < out.length; j++) {
            double v = value(points.get(j), field);
            int b = 0;
            while (v > bins.get(b).hi()) {
                b++;
            }
            out[j] = b;
        }
        return out;
    }

    /**
     * A field's values as bins when there are at most 8 and each occurs more than once (a grid); otherwise grouped
     * into at most min(8, n / 3) bins (at least 2) of about equal counts, never splitting one value. The bins follow
     * the points' ranks, so a log-scaled field is binned as in log space.
     */
    static List<Bin> bins(String field, List<Observation> points) {
        TreeMap<Double, List<Double>> byValue = new TreeMap<>();
        for (Observation p : points) {
            byValue.computeIfAbsent(value(p, field), k -> new ArrayList<>()).add(p.dev());
        }
        int n = points.size();
        // a grid's values each recur (once per value of the other fields), so they are the bins as they are
        boolean ownValues = byValue.size() <= MAX_BINS && byValue.values().stream().allMatch(ds -> ds.size() > 1);
        int k = ownValues ? byValue.size()
                : Math.min(byValue.size(), Math.max(2, Math.min(MAX_BINS, n / POINTS_PER_BIN)));
        List<Bin> out = new ArrayList<>();
        double lo = Double.NaN;
        double sum = 0;
        int count = 0;
        int seen = 0;
        for (Map.Entry<Double, List<Double>> e : byValue.entrySet()) {
            if (count == 0) {
                lo = e.getKey();
            }
            for (double d : e.getValue()) {
                sum += d;
            }
            count += e.getValue().size();
            seen += e.getValue().size();
            if (seen >= (double) (out.size() + 1) * n / k || seen == n) {
                out.add(new Bin(lo, e.getKey(), count, sum / count));
                sum = 0;
                count = 0;
            }
        }
        return out;
    }

    private static double value(Observation p, String field) {
        Object v = p.params().get(field);
        if (!(v instanceof Number num)) {
            throw new IllegalArgumentException("point has no number for " + field + ": " + p.params());
        }
        return num.doubleValue();
    }
}
