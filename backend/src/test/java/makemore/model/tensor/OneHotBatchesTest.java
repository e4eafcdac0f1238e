package makemore.model.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.pytorch.engine.PtNDManager;
import java.util.Arrays;
import java.util.Random;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * The MLP's one-hot batches as libtorch holds them (read back from the native arrays, never from the Java buffer):
 * each step's arrays hold that step's draws, and they change only by the copy, as they must on a GPU, where DJL
 * copies a Java buffer once when an array is made over it.
 */
class OneHotBatchesTest {
    static final Corpus SMALL = new Corpus(Dataset.parse("t", String.join("\n", "emma", "olivia", "ava", "isabella",
            "sophia", "mia", "amelia", "harper", "evelyn", "abigail").getBytes()));
    static final Contexts CTX = Contexts.of(SMALL.words(Corpus.Part.TRAIN), SMALL.vocab(), 3);
    static final int V = SMALL.vocab().size();
    static final int BATCH = 8;

    @Test
    void consecutiveStepsHoldTheirOwnDraws() {
        Random draws = new Random(5);
        try (PtNDManager m = Tensors.newManager()) {
            OneHotBatches b = new OneHotBatches(m, CTX, BATCH, V, new Random(5));
            b.next();
            float[][] first = readBack(b);
            assertBatch(first, rows(draws));
            b.next();
            float[][] second = readBack(b);
            assertBatch(second, rows(draws));
            assertFalse(Arrays.equals(first[0], second[0]), "the contexts did not change from step to step");
            assertFalse(Arrays.equals(first[2], second[2]), "the targets did not change from step to step");
        }
    }

    /** Rewriting the Java buffer leaves the arrays as they were: they are filled by the copy, not read in place. */
    @Test
    void theArraysChangeOnlyByTheCopy() {
        Random draws = new Random(9);
        try (PtNDManager m = Tensors.newManager()) {
            OneHotBatches b = new OneHotBatches(m, CTX, BATCH, V, new Random(9));
            b.next();
            int[] first = rows(draws);
            b.draw(); // the second batch into the buffer, not copied
            rows(draws);
            assertBatch(readBack(b), first);
            b.next();
            assertBatch(readBack(b), rows(draws));
        }
    }

    @Test
    void aFullBatchIsEveryRowInOrder() {
        try (PtNDManager m = Tensors.newManager()) {
            OneHotBatches b = new OneHotBatches(m, CTX, CTX.size(), V, new Random(1));
            int[] all = java.util.stream.IntStream.range(0, CTX.size()).toArray();
            for (int step = 0; step < 2; step++) {
                b.next();
                assertBatch(readBack(b), all);
            }
        }
    }

    private static int[] rows(Random r) {
        int[] rows = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            rows[i] = r.nextInt(CTX.size());
        }
        return rows;
    }

    private static float[][] readBack(OneHotBatches b) {
        return new float[][] {b.x.toFloatArray(), b.xT.toFloatArray(), b.y.toFloatArray()};
    }

    /** x, xT and y are exactly the one-hots of these rows' contexts and targets. */
    private static void assertBatch(float[][] got, int[] rows) {
        int block = CTX.block();
        int rowsX = rows.length * block;
        float[] x = new float[rowsX * V];
        float[] xT = new float[rowsX * V];
        float[] y = new float[rows.length * V];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < block; j++) {
                int ch = CTX.x()[rows[i] * block + j];
                x[(i * block + j) * V + ch] = 1;
                xT[ch * rowsX + i * block + j] = 1;
            }
            y[i * V + CTX.y()[rows[i]]] = 1;
        }
        assertEquals(x.length, got[0].length);
        assertArrayEquals(x, got[0], "contexts");
        assertArrayEquals(xT, got[1], "transposed contexts");
        assertArrayEquals(y, got[2], "targets");
    }
}
