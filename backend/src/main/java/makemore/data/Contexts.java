package makemore.data;

import java.util.List;

/**
 * Every (previous {@code block} ids, next id) pair of the words, contexts left-padded with the boundary:
 * each word of length L gives L + 1 examples, the last one predicting the end.
 */
public record Contexts(int block, int[] x, int[] y) {

    public static Contexts of(List<String> words, Vocabulary vocab, int block) {
        int n = 0;
        for (String w : words) {
            n += w.codePointCount(0, w.length()) + 1;
        }
        int[] x = new int[n * block];
        int[] y = new int[n];
        int row = 0;
        int[] ctx = new int[block];
        int item = 0;
        for (String w : words) {
            Interruption.check(item++);
            java.util.Arrays.fill(ctx, 0);
            int[] ids = vocab.encode(w);
            for (int i = 0; i <= ids.length; i++) {
                int next = i < ids.length ? ids[i] : 0;
                System.arraycopy(ctx, 0, x, row * block, block);
                y[row++] = next;
                if (block > 0) {
                    System.arraycopy(ctx, 1, ctx, 0, block - 1);
                    ctx[block - 1] = next;
                }
            }
        }
        return new Contexts(block, x, y);
    }

    /**
     * The context after each prefix (character ids, the start symbol left out), as rows of x with no targets:
     * the last {@code block} ids, left-padded with the boundary.
     */
    public static Contexts after(int[][] prefixes, int block) {
        int[] x = new int[prefixes.length * block];
        for (int i = 0; i < prefixes.length; i++) {
            int[] p = prefixes[i];
            for (int j = 0; j < block; j++) {
                int src = p.length - block + j;
                x[i * block + j] = src >= 0 ? p[src] : 0;
            }
        }
        return new Contexts(block, x, new int[prefixes.length]);
    }

    /**
     * Values per context slot of the row {@link #after} makes for a prefix of {@code chars} characters, by token of
     * the text (0 = the start symbol, i = the i-th character): slot k holds token chars - block + 1 + k. Tokens
     * before the context get 0; slots before the start symbol (left padding) belong to no token and are dropped.
     */
    public static double[] byToken(double[] slots, int chars) {
        double[] out = new double[chars + 1];
        for (int k = 0; k < slots.length; k++) {
            int token = chars - slots.length + 1 + k;
            if (token >= 0) {
                out[token] = slots[k];
            }
        }
        return out;
    }

    public int size() {
        return y.length;
    }

    /** The context of row i as one index into a V^block table (most recent character last). */
    public int flatIndex(int row, int vocabSize) {
        int idx = 0;
        for (int j = 0; j < block; j++) {
            idx = idx * vocabSize + x[row * block + j];
        }
        return idx;
    }
}
