package makemore.model;

import makemore.model.autograd.AutogradModel;
import makemore.event.Health;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.RunConfig;
import makemore.train.RunControl;
import makemore.event.RunEvent;
import makemore.train.Trainer;
import org.junit.jupiter.api.Test;

class LayerHealthTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    static RunConfig mlp(String extra) {
        return Models.validate(RunConfig.fromJson("{\"model\":\"mlp\"" + extra + "}"));
    }

    static double saturation(Health h, String layer) {
        return h.layers().stream().filter(l -> l.name().equals(layer)).findFirst().orElseThrow().saturated();
    }

    /** Lecture 3's picture at step 0: naive init saturates the tanh; BatchNorm with Kaiming init does not. */
    @Test
    void naiveInitSaturatesAndKaimingWithBatchNormDoesNot() {
        double naive;
        double kaiming;
        double kaimingBn;
        double naiveBn;
        try (LanguageModel m = Models.create(mlp(",\"init\":\"naive\",\"batch\":256"), NAMES)) {
            naive = saturation(m.health(0.1), "hidden");
        }
        try (LanguageModel m = Models.create(mlp(",\"batch\":256"), NAMES)) {
            kaiming = saturation(m.health(0.1), "hidden");
        }
        try (LanguageModel m = Models.create(mlp(",\"batchnorm\":true,\"batch\":256"), NAMES)) {
            kaimingBn = saturation(m.health(0.1), "hidden");
        }
        try (LanguageModel m = Models.create(mlp(",\"batchnorm\":true,\"init\":\"naive\",\"batch\":256"), NAMES)) {
            naiveBn = saturation(m.health(0.1), "hidden");
        }
        System.out.printf("saturated at step 0: naive %.1f%%, kaiming %.1f%%, kaiming+BN %.1f%%, naive+BN %.1f%%%n",
                naive, kaiming, kaimingBn, naiveBn);
        assertTrue(naive > 50, "naive init: " + naive + "% saturated");
        assertTrue(kaimingBn < 5, "kaiming + batchnorm: " + kaimingBn + "% saturated");
        assertTrue(kaiming < naive / 2, "kaiming alone: " + kaiming + "% vs naive " + naive + "%");
    }

    /** Measuring changes nothing the training sees: same batches, same parameters, same losses. */
    @Test
    void measuringLeavesTrainingExactlyAsItWas() {
        for (String extra : List.of(",\"hidden\":32", ",\"hidden\":32,\"batchnorm\":true")) {
            RunConfig cfg = mlp(extra);
            try (LanguageModel a = Models.create(cfg, NAMES); LanguageModel b = Models.create(cfg, NAMES)) {
                for (int i = 0; i < 60; i++) {
                    if (i % 20 == 10) {
                        assertNotNull(a.health(0.1));
                    }
                    a.step(0.1);
                    b.step(0.1);
                }
                assertEquals(b.drainLoss(), a.drainLoss(), 0.0, extra);
                assertEquals(b.nll(Corpus.Part.DEV), a.nll(Corpus.Part.DEV), 0.0, extra);
            }
        }
        // SGD (wavenet) and AdamW with clipping (a small transformer): the optimizer's state is put back too
        for (String json : List.of("{\"model\":\"wavenet\",\"hidden\":16,\"embDim\":4}",
                "{\"model\":\"transformer\",\"layers\":1,\"heads\":2,\"embDim\":8,\"batch\":8,\"clip\":0.5}",
                RNN, GRU)) {
            RunConfig opt = Models.validate(RunConfig.fromJson(json));
            try (AutogradModel a = (AutogradModel) Models.create(opt, NAMES);
                    AutogradModel b = (AutogradModel) Models.create(opt, NAMES)) {
                for (int i = 0; i < 30; i++) {
                    if (i % 10 == 5) {
                        Health h = a.health(opt.lr());
                        assertTrue(h.weights().size() >= 3, json);
                        for (Health.Weight w : h.weights()) {
                            assertTrue(Double.isFinite(w.updateRatio()) && w.updateRatio() < 0, w + " " + json);
                        }
                    }
                    a.step(opt.lr());
                    b.step(opt.lr());
                }
                for (int i = 0; i < a.parameters().size(); i++) {
                    assertArrayEquals(b.parameters().get(i).toFloatArray(), a.parameters().get(i).toFloatArray(), 0f,
                            a.parameterNames().get(i) + " " + json);
                }
                assertEquals(b.drainLoss(), a.drainLoss(), 0.0, json);
            }
        }
    }

    static final String TRANSFORMER = "{\"model\":\"transformer\",\"layers\":2,\"heads\":2,\"embDim\":8,\"batch\":8}";
    static final String RNN = "{\"model\":\"rnn\",\"embDim\":8,\"hidden\":16,\"batch\":8}";
    static final String GRU = "{\"model\":\"gru\",\"embDim\":8,\"hidden\":16,\"batch\":8}";

    /** Transformer blocks and recurrent cells show their layers, in forward order, each alive in both directions. */
    @Test
    void transformerAndRecurrentNetsShowTheirLayers() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(TRANSFORMER, List.of("block 1 attn", "block 1 gelu", "block 1 out", "block 2 attn",
                "block 2 gelu", "block 2 out"));
        expected.put(RNN, List.of("hidden"));
        expected.put(GRU, List.of("update gate", "candidate", "hidden"));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            RunConfig cfg = Models.validate(RunConfig.fromJson(e.getKey()));
            try (LanguageModel m = Models.create(cfg, NAMES)) {
                for (int i = 0; i < 5; i++) {
                    m.step(cfg.lr());
                }
                Health h = m.health(cfg.lr());
                assertEquals(e.getValue(), h.layers().stream().map(Health.Layer::name).toList(), e.getKey());
                assertEquals(2 * e.getValue().size(), h.histograms().size(), e.getKey());
                for (Health.Layer l : h.layers()) {
                    String what = l + " " + e.getKey();
                    assertTrue(Double.isFinite(l.std()) && l.std() > 0, what);
                    assertTrue(Double.isFinite(l.gradStd()) && l.gradStd() > 0, what);
                    assertEquals(l.kind().equals("tanh"), l.saturated() != null, what);
                }
            }
        }
    }

    /** With SGD the update is lr x gradient, so the ratio is log10(lr std(grad) / std(data)) for every weight. */
    @Test
    void updateRatioIsTheOptimizersUpdate() {
        for (String extra : List.of("", ",\"batchnorm\":true")) {
            try (LanguageModel m = Models.create(mlp(extra + ",\"hidden\":64"), NAMES)) {
                for (int i = 0; i < 20; i++) {
                    m.step(0.1);
                }
                Health h = m.health(0.1);
                assertEquals(3, h.weights().size(), extra);
                for (Health.Weight w : h.weights()) {
                    assertEquals(Math.log10(0.1 * w.gradStd() / w.std()), w.updateRatio(), 1e-3, w.name() + extra);
                    assertTrue(w.updateRatio() < 0 && w.updateRatio() > -6, w.name() + " " + w.updateRatio());
                }
                for (Health.Histogram g : h.histograms()) {
                    assertEquals(Health.BINS, g.counts().length);
                    if (g.layer().equals("hidden")) { // one batch of 32 rows x 64 units
                        assertEquals(32 * 64, Arrays.stream(g.counts()).sum(), g.of() + extra);
                    }
                }
            }
        }
    }

    /** The trainer emits health at step 0 and at every evaluation; models without layers emit none. */
    @Test
    void trainerEmitsHealthAtEveryEvaluation() {
        RunConfig cfg = mlp(",\"hidden\":32,\"steps\":300,\"evalEvery\":100,\"sampleEvery\":0");
        List<RunEvent.Health> events = new ArrayList<>();
        Trainer t;
        try (LanguageModel m = Models.create(cfg, NAMES)) {
            t = new Trainer(cfg, NAMES, m, new RunControl(), e -> {
                if (e instanceof RunEvent.Health h) {
                    events.add(h);
                }
            });
            t.run();
        }
        assertEquals(List.of(0L, 100L, 200L, 300L), events.stream().map(RunEvent.Health::step).toList());
        RunEvent.Health last = events.get(3);
        assertEquals(List.of("embedding", "hidden"), last.layers().stream().map(Health.Layer::name).toList());
        assertEquals(4, last.histograms().size());
        assertTrue(t.healthNanos() > 0);
        RunConfig counts = Models.validate(RunConfig.fromJson("{\"model\":\"ngram\"}"));
        try (LanguageModel m = Models.create(counts, NAMES)) {
            assertNull(m.health(0.1));
        }
    }
}
