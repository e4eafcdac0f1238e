package makemore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;

/**
 * Autograd runs on two threads record and back-propagate their own graphs at the same time, and each produces
 * exactly the numbers it produces alone (no GradientCollector, whose one-per-JVM rule would serialise them).
 */
class AutogradConcurrencyTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());
    static final int STEPS = 60;

    /** Every parameter's values after training, then the drained training losses. */
    static List<float[]> train(long seed, CyclicBarrier together) throws Exception {
        // run 2 uses dropout: its masks come from the model's own generator, not libtorch's process-wide one
        try (Transformer m = new Transformer(NAMES, 16, 2, 2, 32, 16, seed, OptimizerConfig.makemore(),
                seed == 2 ? 0.1 : 0)) {
            List<float[]> out = new ArrayList<>();
            float[] losses = new float[STEPS / 10];
            for (int s = 0; s < STEPS; s++) {
                if (together != null && (s == 10 || s == 50)) {
                    // both threads are between these two points at once: steps 10..49 overlap
                    together.await(60, TimeUnit.SECONDS);
                }
                m.step(5e-3);
                assertFalse(JniUtils.isGradMode(), "grad mode is left off on the trainer thread");
                if ((s + 1) % 10 == 0) {
                    losses[s / 10] = (float) m.drainLoss();
                }
            }
            for (PtNDArray p : m.parameters()) {
                out.add(p.toFloatArray());
            }
            out.add(losses);
            return out;
        }
    }

    @Test
    void twoThreadsTrainAtOnceWithTheNumbersEachGetsAlone() throws Exception {
        List<float[]> aloneA = train(1, null);
        List<float[]> aloneB = train(2, null);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<float[]>> a = pool.submit(() -> train(1, together));
            Future<List<float[]>> b = pool.submit(() -> train(2, together));
            assertSame(aloneA, a.get(120, TimeUnit.SECONDS));
            assertSame(aloneB, b.get(120, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSame(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "array " + i + " differs bit for bit");
        }
    }
}
