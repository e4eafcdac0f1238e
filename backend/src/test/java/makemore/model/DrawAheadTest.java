package makemore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.engine.PtNDArray;
import java.util.ArrayList;
import java.util.List;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;

/**
 * The transformer bench's lab loop draws each batch before its clock starts ({@code drawAhead}); a model trained
 * that way must be the model a plain training run gives, bit for bit, or the bench would time something else. A
 * health pass between steps (its own backward on the same parameters) must leave the gradients the later steps
 * gather as they were: the gradient gather keeps each parameter's gradient tensor from the first step on.
 */
class DrawAheadTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    static List<float[]> train(boolean ahead, boolean probe) {
        try (Transformer m = new Transformer(NAMES, 16, 2, 2, 32, 16, 7, OptimizerConfig.makemore())) {
            float[] losses = new float[4];
            for (int s = 0; s < 40; s++) {
                if (ahead) {
                    m.drawAhead();
                }
                if (probe && s == 20) {
                    m.health(5e-3);
                }
                m.step(5e-3);
                if ((s + 1) % 10 == 0) {
                    losses[s / 10] = (float) m.drainLoss();
                }
            }
            List<float[]> out = new ArrayList<>();
            for (PtNDArray p : m.parameters()) {
                out.add(p.toFloatArray());
            }
            out.add(losses);
            return out;
        }
    }

    @Test
    void drawingAheadTrainsTheSameModel() {
        List<float[]> plain = train(false, false);
        List<float[]> ahead = train(true, false);
        assertEquals(plain.size(), ahead.size());
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), ahead.get(i), "array " + i);
        }
        float[] losses = plain.get(plain.size() - 1);
        assertTrue(losses[3] < losses[0] - 0.3, "the loss falls over 40 steps: " + losses[0] + " -> " + losses[3]);
    }

    @Test
    void aHealthPassBetweenStepsLeavesTrainingUnchanged() {
        List<float[]> plain = train(false, false);
        List<float[]> probed = train(false, true);
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), probed.get(i), "array " + i);
        }
    }
}
