package makemore.event;

import java.util.List;

/**
 * Lecture 3's diagnostics for one training batch at the current parameters: how each layer's outputs and their
 * gradients are spread, how saturated the tanh layers are, and how large an update each weight matrix would get
 * relative to its values. Models compute it at evaluations ({@link LanguageModel#health}); nothing here changes
 * the model.
 *
 * @param layers     per layer output: values and dL/d(output)
 * @param weights    per weight matrix (parameters with 2 dimensions, as the lecture plots them)
 * @param histograms of each layer's outputs and of their gradients
 */
public record Health(List<Layer> layers, List<Weight> weights, List<Histogram> histograms) {

    /** The fraction of a tanh layer's outputs beyond this magnitude counts as saturated (the lecture's 0.97). */
    public static final double SATURATED = 0.97;
    public static final int BINS = 40;

    /**
     * @param saturated percent of outputs with |value| > {@link #SATURATED}; null for layers other than tanh
     * @param gradMean  mean of dL/d(output) over the batch (loss = mean NLL of the batch)
     * @param image     which outputs of the first rows are saturated (tanh layers only; null in runs stored before
     *                  it was measured)
     */
    public record Layer(String name, String kind, double mean, double std, Double saturated, double gradMean,
            double gradStd, Saturation image) {}

    /**
     * @param gradToData std(grad) / std(data)
     * @param updateRatio log10(std(update) / std(data)) for the update the run's optimizer would make from this
     *                    batch's gradient at the latest learning rate (lecture 3 plots this against a 1e-3 guide)
     */
    public record Weight(String name, String shape, double std, double gradMean, double gradStd, double gradToData,
            double updateRatio) {}

    /** {@code counts[i]} values fell in [lo + i w, lo + (i + 1) w) with w = (hi - lo) / counts.length. */
    public record Histogram(String layer, String of, double lo, double hi, int[] counts) {}

    /** A layer whose outputs are rows of {@code units} values (the last dimension): tanh layers get an image. */
    public static Layer layer(String name, String kind, float[] out, float[] grad, int units) {
        double[] o = meanStd(out);
        double[] g = meanStd(grad);
        Double sat = null;
        Saturation image = null;
        if (kind.equals("tanh")) {
            image = Saturation.of(out, units);
            int n = 0;
            for (float v : out) {
                if (Math.abs(v) > SATURATED) {
                    n++;
                }
            }
            sat = 100.0 * n / Math.max(1, out.length);
        }
        return new Layer(name, kind, o[0], o[1], sat, g[0], g[1], image);
    }

    public static Weight weight(String name, long[] shape, float[] data, float[] grad, float[] update) {
        double d = meanStd(data)[1];
        double[] g = meanStd(grad);
        double u = meanStd(update)[1];
        StringBuilder s = new StringBuilder();
        for (long x : shape) {
            s.append(s.length() == 0 ? "" : "x").append(x);
        }
        return new Weight(name, s.toString(), d, g[0], g[1], g[1] / d, Math.log10(u / d));
    }

    /** tanh outputs on [-1, 1]; anything else on +-(largest magnitude), so 0 sits in the middle. */
    public static Histogram histogram(String layer, String of, float[] v, boolean unitRange) {
        double hi = 0;
        for (float x : v) {
            hi = Math.max(hi, Math.abs(x));
        }
        hi = unitRange ? 1 : hi > 0 ? hi : 1;
        int[] counts = new int[BINS];
        for (float x : v) {
            int b = (int) Math.floor((x + hi) / (2 * hi) * BINS);
            counts[Math.max(0, Math.min(BINS - 1, b))]++;
        }
        return new Histogram(layer, of, -hi, hi, counts);
    }

    public static double[] meanStd(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double mean = sum / Math.max(1, v.length);
        double sq = 0;
        for (float x : v) {
            sq += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(sq / Math.max(1, v.length - 1))};
    }
}
