package makemore.model.inspect;

import java.util.ArrayList;
import java.util.List;
import makemore.data.Vocabulary;
import makemore.event.EmbeddingPoint;

/** Embedding rows to 2-D: as they are when there are two dimensions, else onto the top two principal axes. */
public final class Pca {
    private Pca() {}

    public static List<EmbeddingPoint> points(Vocabulary vocab, float[] table, int rows, int dim) {
        double[][] xy = new double[rows][2];
        if (dim == 1) {
            for (int r = 0; r < rows; r++) {
                xy[r][0] = table[r];
            }
        } else if (dim == 2) {
            for (int r = 0; r < rows; r++) {
                xy[r][0] = table[r * 2];
                xy[r][1] = table[r * 2 + 1];
            }
        } else {
            double[] mean = new double[dim];
            for (int r = 0; r < rows; r++) {
                for (int d = 0; d < dim; d++) {
                    mean[d] += table[r * dim + d] / rows;
                }
            }
            double[][] cov = new double[dim][dim];
            for (int r = 0; r < rows; r++) {
                for (int a = 0; a < dim; a++) {
                    double da = table[r * dim + a] - mean[a];
                    for (int b = 0; b < dim; b++) {
                        cov[a][b] += da * (table[r * dim + b] - mean[b]);
                    }
                }
            }
            double[] first = topEigenvector(cov, null);
            double[] second = topEigenvector(cov, first);
            for (int r = 0; r < rows; r++) {
                for (int d = 0; d < dim; d++) {
                    double v = table[r * dim + d] - mean[d];
                    xy[r][0] += v * first[d];
                    xy[r][1] += v * second[d];
                }
            }
        }
        List<EmbeddingPoint> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(new EmbeddingPoint(vocab.symbol(r), xy[r][0], xy[r][1]));
        }
        return out;
    }

    /** Power iteration, orthogonal to {@code exclude}; the sign is fixed so the plot does not flip between updates. */
    private static double[] topEigenvector(double[][] m, double[] exclude) {
        int n = m.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1.0 / Math.sqrt(n) + 1e-3 * i;
        }
        for (int it = 0; it < 200; it++) {
            if (exclude != null) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i] * exclude[i];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * exclude[i];
                }
            }
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i] += m[i][j] * v[j];
                }
            }
            double norm = 0;
            for (double x : next) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                v[i] = next[i] / norm;
            }
        }
        int big = 0;
        for (int i = 1; i < n; i++) {
            if (Math.abs(v[i]) > Math.abs(v[big])) {
                big = i;
            }
        }
        if (v[big] < 0) {
            for (int i = 0; i < n; i++) {
                v[i] = -v[i];
            }
        }
        return v;
    }
}
