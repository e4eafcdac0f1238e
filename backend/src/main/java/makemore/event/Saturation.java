package makemore.event;

import java.util.Base64;

/**
 * Lecture 3's picture of a tanh layer: which outputs sit in the flat tails (|h| > {@link #THRESHOLD}), one row per
 * measured row of the batch, one column per unit, white where saturated. A unit saturated on every row passes
 * (almost) no gradient back for any of them: {@code dead} counts those. Bits are packed row-major (bit
 * {@code row * units + unit}, lowest bit first in each byte) and base64-encoded, so one image costs at most
 * {@code MAX_ROWS * MAX_UNITS / 6} characters in a health event.
 *
 * @param units      columns in the image: the layer's first units, at most {@link #MAX_UNITS}
 * @param unitsTotal units the layer has
 * @param rows       rows in the image: the first rows of the health batch, at most {@link #MAX_ROWS}
 * @param dead       columns saturated on every row of the image
 */
public record Saturation(int units, int unitsTotal, int rows, double threshold, int saturatedCells, int dead,
        String bits) {
    public static final double THRESHOLD = 0.99;
    public static final int MAX_UNITS = 200;
    public static final int MAX_ROWS = 32;

    /** The image of {@code out}, a tanh layer's outputs laid out as rows of {@code unitsTotal} values. */
    public static Saturation of(float[] out, int unitsTotal) {
        if (unitsTotal <= 0 || out.length < unitsTotal) {
            return null;
        }
        int units = Math.min(unitsTotal, MAX_UNITS);
        int rows = Math.min(out.length / unitsTotal, MAX_ROWS);
        byte[] bits = new byte[(rows * units + 7) / 8];
        boolean[] alive = new boolean[units];
        int cells = 0;
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                if (Math.abs(out[r * unitsTotal + u]) > THRESHOLD) {
                    int i = r * units + u;
                    bits[i >> 3] |= (byte) (1 << (i & 7));
                    cells++;
                } else {
                    alive[u] = true;
                }
            }
        }
        int dead = 0;
        for (boolean a : alive) {
            dead += a ? 0 : 1;
        }
        return new Saturation(units, unitsTotal, rows, THRESHOLD, cells, rows == 0 ? 0 : dead,
                Base64.getEncoder().encodeToString(bits));
    }

    /** Whether the image marks {@code (row, unit)} saturated; decodes the bits (for readers and tests). */
    public boolean at(int row, int unit) {
        byte[] b = Base64.getDecoder().decode(bits);
        int i = row * units + unit;
        return (b[i >> 3] >> (i & 7) & 1) == 1;
    }
}
