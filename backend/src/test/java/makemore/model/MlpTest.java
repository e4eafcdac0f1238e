package makemore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    static RunConfig mlp(String extra) {
        return Models.validate(RunConfig.fromJson("{\"model\":\"mlp\"" + extra + "}"));
    }

    @Test
    void initialLossIsCloseToUniform() {
        try (LanguageModel m = Models.create(mlp(""), NAMES)) {
            assertEquals(Math.log(NAMES.vocab().size()), m.nll(Corpus.Part.DEV), 0.1);
        }
    }

    /** The hand-written backward against DJL's autograd on the same full batch. */
    @Test
    void handWrittenGradientsMatchAutograd() {
        Corpus small = new Corpus(Dataset.parse("t", String.join("\n", "emma", "olivia", "ava", "isabella", "sophia",
                "mia", "amelia", "harper", "evelyn", "abigail", "emily", "ella").getBytes()));
        RunConfig cfg = mlp(",\"context\":3,\"embDim\":4,\"hidden\":16,\"batch\":0,\"seed\":7");
        try (Mlp m = (Mlp) Models.create(cfg, small); NDManager ref = Engine.getInstance().newBaseManager()) {
            List<NDArray> params = List.of(m.c, m.w1, m.b1, m.w2, m.b2);
            List<float[]> before = params.stream().map(NDArray::toFloatArray).toList();
            List<NDArray> copies = new java.util.ArrayList<>(before.stream().map(v -> ref.create(v)).toList());
            for (int i = 0; i < copies.size(); i++) {
                copies.set(i, copies.get(i).reshape(params.get(i).getShape()));
                copies.get(i).setRequiresGradient(true);
            }
            Contexts ctx = Contexts.of(small.words(Corpus.Part.TRAIN), small.vocab(), 3);
            int n = ctx.size();
            int v = small.vocab().size();
            float[] ohx = new float[n * 3 * v];
            float[] ohy = new float[n * v];
            for (int i = 0; i < n * 3; i++) {
                ohx[i * v + ctx.x()[i]] = 1;
            }
            for (int i = 0; i < n; i++) {
                ohy[i * v + ctx.y()[i]] = 1;
            }
            NDArray x = ref.create(ohx, new Shape(n * 3L, v));
            NDArray y = ref.create(ohy, new Shape(n, v));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray e = x.matMul(copies.get(0)).reshape(n, 12);
                NDArray h = e.matMul(copies.get(1).transpose()).add(copies.get(2)).tanh();
                NDArray logp = h.matMul(copies.get(3).transpose()).add(copies.get(4)).logSoftmax(1);
                gc.backward(logp.mul(y).sum().neg().div(n));
            }
            double lr = 0.5;
            m.step(lr);
            for (int i = 0; i < params.size(); i++) {
                float[] after = params.get(i).toFloatArray();
                float[] grad = copies.get(i).getGradient().toFloatArray();
                float[] implied = new float[after.length];
                for (int j = 0; j < after.length; j++) {
                    implied[j] = (float) ((before.get(i)[j] - after[j]) / lr);
                }
                assertArrayEquals(grad, implied, 2e-5f, "gradient of parameter " + i);
            }
        }
    }

    @Test
    void sameSeedSameLossesAndItBeatsTheBigram() {
        RunConfig cfg = mlp(",\"seed\":3,\"batch\":64,\"lr\":0.2");
        double[] first = new double[3];
        double[] second = new double[3];
        double dev;
        try (LanguageModel a = Models.create(cfg, NAMES); LanguageModel b = Models.create(cfg, NAMES)) {
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < 1000; i++) {
                    a.step(cfg.lr());
                    b.step(cfg.lr());
                }
                first[k] = a.drainLoss();
                second[k] = b.drainLoss();
            }
            dev = a.nll(Corpus.Part.DEV);
        }
        assertArrayEquals(first, second, 0.0);
        double bigram = new CountNgram(Models.validate(RunConfig.fromJson("{\"model\":\"ngram\"}")), NAMES).nll(Corpus.Part.DEV);
        assertTrue(dev < bigram - 0.05, "mlp dev " + dev + " vs bigram " + bigram);
    }

    /** The bench's fast recipe: the lecture's 200k-step dev loss in 6,000 larger steps (seeded, so exact on CPU). */
    @Test
    void fastRecipeReachesTheLectureDevLoss() {
        RunConfig cfg = Models.validate(RunConfig.fromJson(makemore.config.Recipes.FAST));
        try (LanguageModel m = Models.create(cfg, NAMES)) {
            for (int i = 0; i < cfg.steps(); i++) {
                m.step(cfg.scheduledLr(cfg.lr(), i));
            }
            double dev = m.nll(Corpus.Part.DEV);
            assertTrue(dev <= 2.17, "dev " + dev);
        }
    }

    @Test
    void savedParametersComeBackAndSamplingIsSeeded(@TempDir Path dir) throws Exception {
        RunConfig cfg = mlp(",\"hidden\":32");
        Path file = dir.resolve("p.bin");
        double dev;
        List<String> samples;
        try (LanguageModel m = Models.create(cfg, NAMES)) {
            for (int i = 0; i < 300; i++) {
                m.step(0.1);
            }
            dev = m.nll(Corpus.Part.DEV);
            samples = m.sample(8, 1.0, new Random(5));
            m.save(file);
        }
        try (LanguageModel m = Models.load(cfg, NAMES, file)) {
            assertEquals(dev, m.nll(Corpus.Part.DEV), 1e-9);
            assertEquals(samples, m.sample(8, 1.0, new Random(5)));
            double[] p = m.probabilities("emma");
            assertEquals(5, p.length);
            for (double x : p) {
                assertTrue(x > 0 && x < 1);
            }
            assertEquals(NAMES.vocab().size(), m.embedding().size());
            assertThrows(IllegalArgumentException.class, () -> m.probabilities("Emma!"));
        }
        RunConfig other = mlp(",\"hidden\":64");
        Exception e = assertThrows(java.io.IOException.class, () -> Models.load(other, NAMES, file).close());
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void embeddingIsRawInTwoDimensions() {
        try (Mlp m = (Mlp) Models.create(mlp(",\"embDim\":2"), NAMES)) {
            float[] c = m.c.toFloatArray();
            var pts = m.embedding();
            assertEquals(c[2], pts.get(1).x(), 1e-6);
            assertEquals(c[3], pts.get(1).y(), 1e-6);
            assertEquals("a", pts.get(1).ch());
        }
    }
}
