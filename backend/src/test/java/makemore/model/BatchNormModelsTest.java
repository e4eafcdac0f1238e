package makemore.model;

import makemore.model.autograd.AutogradModel;
import makemore.model.tensor.Layers;
import makemore.model.tensor.Tensors;
import makemore.event.Health;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLP with BatchNorm and the WaveNet: the lecture's claims on short seeded runs, and BatchNorm's two modes. */
class BatchNormModelsTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    static double devAfter(RunConfig cfg, int steps) {
        try (LanguageModel m = Models.create(cfg, NAMES)) {
            for (int i = 0; i < steps; i++) {
                m.step(cfg.scheduledLr(cfg.lr(), i));
            }
            return m.nll(Corpus.Part.DEV);
        }
    }

    /**
     * Lecture 3 at a short horizon: at equal steps and learning rate BatchNorm + Kaiming stays within 0.05 of the
     * plain MLP (measured here: about 0.02-0.04 behind at 3,000-10,000 steps; the lecture's 200,000-step recipe,
     * where the lecture finds them equal, is in {@code ./lab bench --only batchnorm}), and both beat the bigram.
     */
    @Test
    void batchNormMlpKeepsUpWithThePlainOneAtEqualSteps() {
        String base = "{\"model\":\"mlp\",\"steps\":3000,\"lr\":0.1,\"schedule\":\"constant\",\"seed\":5";
        double plain = devAfter(Models.validate(RunConfig.fromJson(base + "}")), 3000);
        double bn = devAfter(Models.validate(RunConfig.fromJson(base + ",\"batchnorm\":true}")), 3000);
        System.out.printf("dev after 3000 steps: plain %.4f, batchnorm + kaiming %.4f%n", plain, bn);
        assertTrue(bn <= plain + 0.05, "batchnorm " + bn + " vs plain " + plain);
        assertTrue(bn < 2.40, "batchnorm " + bn + " vs the bigram's 2.45");
    }

    /**
     * In evaluation the running statistics normalise, so a row's probabilities do not depend on the other rows
     * of its batch; training moved those statistics away from their initial 0 and 1.
     */
    @Test
    void evaluationUsesRunningStatistics(@TempDir Path dir) throws Exception {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"batchnorm\":true,\"hidden\":32}"));
        Path file = dir.resolve("bn.bin");
        double[] emma;
        double dev;
        try (LanguageModel m = Models.create(cfg, NAMES)) {
            for (int i = 0; i < 200; i++) {
                m.step(0.1);
            }
            emma = m.probabilities("emma");
            double[] longer = m.probabilities("emmaline"); // same first four contexts, in a batch of nine rows
            assertArrayEquals(java.util.Arrays.copyOf(emma, 4), java.util.Arrays.copyOf(longer, 4), 1e-6);
            dev = m.nll(Corpus.Part.DEV);
            m.save(file);
        }
        try (LanguageModel m = Models.load(cfg, NAMES, file)) {
            assertEquals(dev, m.nll(Corpus.Part.DEV), 1e-9, "running statistics come back with the parameters");
            assertArrayEquals(emma, m.probabilities("emma"), 1e-9);
        }
        try (LanguageModel fresh = Models.create(cfg, NAMES)) {
            assertTrue(Math.abs(fresh.nll(Corpus.Part.DEV) - dev) > 0.1, "the fresh model differs");
        }
    }

    /**
     * One layer against its definition: training normalises by the batch's mean and biased variance over every
     * dimension but the channels and moves the running statistics 10% toward the batch's (unbiased variance);
     * evaluation uses the running ones; a measuring pass leaves them alone.
     */
    @Test
    void batchNormLayerMatchesItsDefinition() {
        try (ai.djl.pytorch.engine.PtNDManager m = Tensors.newManager()) {
            java.util.Random r = new java.util.Random(1);
            int rows = 6;
            int ch = 3;
            float[] x = new float[2 * rows * ch];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * 2 + 1);
            }
            var in = (ai.djl.pytorch.engine.PtNDArray) m.create(x, new ai.djl.ndarray.types.Shape(2, rows, ch));
            var bn = new Layers.BatchNorm((ai.djl.pytorch.engine.PtNDArray) m.create(new float[] {2, 2, 2}),
                    (ai.djl.pytorch.engine.PtNDArray) m.create(new float[] {1, 1, 1}),
                    (ai.djl.pytorch.engine.PtNDArray) m.zeros(new ai.djl.ndarray.types.Shape(ch)),
                    (ai.djl.pytorch.engine.PtNDArray) m.ones(new ai.djl.ndarray.types.Shape(ch)), 0.1);
            bn.apply(in, true, true);
            assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().toFloatArray(), 0f, "measuring keeps them");
            float[] out = bn.apply(in, true, false).toFloatArray();
            int n = 2 * rows;
            for (int c = 0; c < ch; c++) {
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    mean += x[i * ch + c] / n;
                }
                double var = 0;
                for (int i = 0; i < n; i++) {
                    var += Math.pow(x[i * ch + c] - mean, 2) / n;
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(2 * (x[i * ch + c] - mean) / Math.sqrt(var + Layers.EPS) + 1, out[i * ch + c], 1e-4);
                }
                assertEquals(0.1 * mean, bn.runningMean().toFloatArray()[c], 1e-5);
                assertEquals(0.9 + 0.1 * var * n / (n - 1), bn.runningVar().toFloatArray()[c], 1e-5);
            }
            float[] eval = bn.apply(in, false, false).toFloatArray();
            float[] rm = bn.runningMean().toFloatArray();
            float[] rv = bn.runningVar().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                int c = i % ch;
                assertEquals(2 * (x[i] - rm[c]) / Math.sqrt(rv[c] + Layers.EPS) + 1, eval[i], 1e-4);
            }
        }
    }

    @Test
    void batchNormMlpRefusesL2() {
        ConfigException e = assertThrows(ConfigException.class, () -> Models.validate(RunConfig.fromJson(
                "{\"model\":\"mlp\",\"batchnorm\":true,\"l2\":0.01}")));
        assertEquals("l2", e.field());
    }

    /** The lecture's model: 76,579 parameters for 27 symbols; pairs fused in three levels, each shown as a layer. */
    @Test
    void waveNetIsTheLecturesModel() {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"wavenet\"}"));
        assertEquals(8, cfg.context());
        assertEquals(24, cfg.embDim());
        assertEquals(128, cfg.hidden());
        assertEquals(0.75, cfg.decayAt());
        try (AutogradModel m = (AutogradModel) Models.create(cfg, NAMES)) {
            assertEquals(76_579, m.parameterCount());
            Health h = m.health(0.1);
            assertEquals(List.of("level 1", "level 2", "level 3"), h.layers().stream().map(Health.Layer::name).toList());
            assertEquals(Math.log(27), m.nll(Corpus.Part.DEV), 0.1, "the small output layer starts near uniform");
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> Models.validate(RunConfig.fromJson("{\"model\":\"wavenet\",\"context\":6}")));
        assertEquals("context", e.field());
    }

    /** A short seeded run already beats the count trigram and the MLP's short runs. */
    @Test
    void waveNetLearns() {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"wavenet\",\"steps\":1500,\"seed\":3}"));
        double dev = devAfter(cfg, 1500);
        System.out.printf("wavenet dev after 1500 steps: %.4f%n", dev);
        assertTrue(dev < 2.3, "dev " + dev);
    }
}
