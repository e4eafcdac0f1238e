package makemore.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizers against torch.optim's formulas, written out here in double precision. */
class OptimizerTest {
    static final float[] W = {0.5f, -1.25f, 2f, 0.1f};
    static final float[][] G = {{0.3f, -0.2f, 1.5f, 0f}, {-0.1f, 0.4f, 0.2f, 2f}, {0.05f, 0.05f, -3f, 1f}};

    @Test
    void adamWMatchesTorchsFormula() {
        double lr = 0.01, b1 = 0.9, b2 = 0.99, wd = 0.1;
        double[] w = new double[W.length], m = new double[W.length], v = new double[W.length];
        for (int i = 0; i < W.length; i++) {
            w[i] = W[i];
        }
        for (int t = 1; t <= G.length; t++) {
            for (int i = 0; i < W.length; i++) {
                double g = G[t - 1][i];
                w[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + AdamW.EPS);
            }
        }
        float[] got = run(new OptimizerConfig("adamw", wd, b1, b2, 0), lr, 1);
        for (int i = 0; i < W.length; i++) {
            assertEquals(w[i], got[i], 1e-6, "weight " + i);
        }
    }

    @Test
    void sgdWithWeightDecayAndRescale() {
        double lr = 0.1, wd = 0.01, rescale = 0.5;
        double[] w = new double[W.length];
        for (int i = 0; i < W.length; i++) {
            w[i] = W[i];
        }
        for (float[] g : G) {
            for (int i = 0; i < W.length; i++) {
                w[i] -= lr * (g[i] * rescale + wd * w[i]);
            }
        }
        float[] got = run(new OptimizerConfig("sgd", wd, 0.9, 0.99, 0), lr, rescale);
        for (int i = 0; i < W.length; i++) {
            assertEquals(w[i], got[i], 1e-6, "weight " + i);
        }
    }

    private static float[] run(OptimizerConfig cfg, double lr, double rescale) {
        Engine engine = Engine.getEngine("PyTorch");
        try (PtNDManager m = (PtNDManager) engine.newBaseManager()) {
            PtNDArray w = (PtNDArray) m.create(W, new Shape(W.length));
            Optimizer opt = Optimizer.create(cfg, List.of(w));
            for (float[] g : G) {
                opt.step(List.of(w), List.of((PtNDArray) m.create(g, new Shape(g.length))), lr, rescale);
            }
            assertEquals(G.length, opt.steps());
            return w.toFloatArray();
        }
    }
}
