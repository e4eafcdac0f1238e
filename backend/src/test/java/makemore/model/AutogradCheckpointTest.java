package makemore.model;

import makemore.model.autograd.AutogradModel;
import makemore.model.tensor.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.pytorch.engine.PtNDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import makemore.data.Corpus;
import makemore.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint keeps parameters, optimizer state and the batch sampler: a restored run continues bit for bit. */
class AutogradCheckpointTest {
    static final Corpus NAMES = AutogradConcurrencyTest.NAMES;

    static Transformer model(OptimizerConfig opt) {
        return new Transformer(NAMES, 16, 2, 2, 32, 16, 5, opt);
    }

    static void steps(AutogradModel m, int n) {
        for (int i = 0; i < n; i++) {
            m.step(3e-3);
        }
    }

    static void assertSameParams(AutogradModel a, AutogradModel b) {
        List<PtNDArray> pa = a.parameters();
        List<PtNDArray> pb = b.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).toFloatArray(), pb.get(i).toFloatArray(), a.parameterNames().get(i));
        }
    }

    @Test
    void restoredAdamWRunContinuesBitForBit(@TempDir Path dir) throws IOException {
        // clipping at a norm the gradients exceed, so the rescaled path is the one checked
        OptimizerConfig opt = new OptimizerConfig("adamw", 0.01, 0.9, 0.99, 0.5);
        Path file = dir.resolve("ckpt.bin");
        try (Transformer straight = model(opt); Transformer first = model(opt); Transformer resumed = model(opt)) {
            steps(straight, 30);
            steps(first, 15);
            first.save(file);
            resumed.restore(file);
            steps(resumed, 15);
            assertSameParams(straight, resumed);
            assertEquals(straight.nll(Corpus.Part.DEV), resumed.nll(Corpus.Part.DEV));
        }
    }

    /** The check above can fail: parameters alone (fresh AdamW moments, sampler restarted) give other numbers. */
    @Test
    void parametersAloneDoNotContinueTheRun() {
        OptimizerConfig opt = OptimizerConfig.makemore();
        try (Transformer straight = model(opt); Transformer first = model(opt); Transformer copy = model(opt)) {
            steps(straight, 30);
            steps(first, 15);
            for (int i = 0; i < first.parameters().size(); i++) {
                Tensors.assign(copy.parameters().get(i), first.parameters().get(i).toFloatArray());
            }
            steps(copy, 15);
            assertFalse(java.util.Arrays.equals(straight.parameters().get(0).toFloatArray(),
                    copy.parameters().get(0).toFloatArray()));
        }
    }

    @Test
    void aCheckpointOfAnotherShapeIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ckpt.bin");
        try (Transformer a = model(OptimizerConfig.makemore());
                Transformer b = new Transformer(NAMES, 16, 1, 2, 32, 16, 5, OptimizerConfig.makemore())) {
            a.save(file);
            assertThrows(IOException.class, () -> b.restore(file));
        }
    }
}
