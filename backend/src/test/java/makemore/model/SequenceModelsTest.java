package makemore.model;

import makemore.model.autograd.AutogradModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import makemore.train.RunControl;
import makemore.event.RunStatus;
import makemore.train.TrainResult;
import makemore.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** makemore.py's transformer, rnn and gru through the registry: defaults, bad input, training, probing. */
class SequenceModelsTest {
    static final Corpus NAMES = AutogradConcurrencyTest.NAMES;

    static RunConfig cfg(String json) {
        return Models.validate(RunConfig.fromJson(json));
    }

    static TrainResult train(RunConfig c) {
        Models.checkFits(c, NAMES);
        try (LanguageModel m = Models.create(c, NAMES)) {
            return new Trainer(c, NAMES, m, new RunControl(), e -> {}).run();
        }
    }

    @Test
    void defaultsAreMakemores() {
        RunConfig c = cfg("{\"model\":\"transformer\"}");
        assertEquals(List.of(4, 4, 64, 32), List.of(c.layers(), c.heads(), c.embDim(), c.batch()));
        assertEquals(List.of("adamw", 5e-4, 0.01, 0.9, 0.99, 0.0),
                List.of(c.optimizer(), c.lr(), c.weightDecay(), c.beta1(), c.beta2(), c.clip()));
        // makemore.py reports the same counts for block size 16 and 27 symbols
        try (AutogradModel t = (AutogradModel) Models.create(c, NAMES);
                AutogradModel r = (AutogradModel) Models.create(cfg("{\"model\":\"rnn\"}"), NAMES);
                AutogradModel g = (AutogradModel) Models.create(cfg("{\"model\":\"gru\"}"), NAMES)) {
            assertEquals(204_544, t.parameterCount());
            assertEquals(11_803, r.parameterCount());
            assertEquals(28_315, g.parameterCount());
            assertEquals(16, t.blockSize());
        }
    }

    @Test
    void badSizesAreRefusedBeforeAnythingTrains() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> cfg("{\"model\":\"transformer\",\"embDim\":30,\"heads\":4}"));
        assertEquals("heads", e.field());
        e = assertThrows(ConfigException.class,
                () -> Models.checkFits(cfg("{\"model\":\"transformer\",\"context\":8}"), NAMES));
        assertEquals("context", e.field());
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> Models.checkFits(cfg("{\"model\":\"gru\",\"context\":40}"), NAMES));
        assertTrue(e.getMessage().contains("beyond the data"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Models.checkFits(
                cfg("{\"model\":\"transformer\",\"embDim\":512,\"layers\":32,\"batch\":4096}"), NAMES));
        assertTrue(e.getMessage().contains("MB"), e.getMessage());
        Models.checkFits(cfg("{\"model\":\"transformer\",\"context\":16}"), NAMES);
    }

    /** Seeded short runs: each learns well past the unigram level (about 2.9) in a few hundred steps. */
    @ParameterizedTest
    @ValueSource(strings = {"transformer:400:2.30", "rnn:600:2.25", "gru:600:2.22"})
    void shortSeededRunsLearn(String spec) {
        String[] s = spec.split(":");
        TrainResult r = train(cfg("{\"model\":\"" + s[0] + "\",\"steps\":" + s[1] + ",\"lr\":0.005,\"seed\":3}"));
        System.out.println(spec + " -> " + r.message() + " dev " + r.dev());
        assertEquals(RunStatus.FINISHED, r.status(), r.message());
        assertTrue(r.dev() <= Double.parseDouble(s[2]), s[0] + " dev " + r.dev());
    }

    @Test
    void aDivergingAdamWRunEndsDivergedWithAdvice() {
        TrainResult r = train(cfg("{\"model\":\"transformer\",\"steps\":200,\"lr\":10,\"layers\":1}"));
        assertEquals(RunStatus.DIVERGED, r.status(), r.message());
        assertTrue(r.message().contains("lower the learning rate"), r.message());
    }

    /** Causality: a character's probability never depends on the characters after it. */
    @ParameterizedTest
    @ValueSource(strings = {"transformer", "rnn", "gru"})
    void probabilitiesOfAPrefixDoNotSeeTheFuture(String model) {
        try (LanguageModel m = Models.create(cfg("{\"model\":\"" + model + "\",\"seed\":9}"), NAMES)) {
            m.step(0.01);
            double[] shortWord = m.probabilities("emma");
            double[] longWord = m.probabilities("emmanuel");
            assertEquals(5, shortWord.length);
            assertEquals(9, longWord.length);
            for (int i = 0; i < 4; i++) {
                assertEquals(shortWord[i], longWord[i], 1e-6, "position " + i);
            }
            for (double p : longWord) {
                assertTrue(p > 0 && p < 1);
            }
            assertThrows(IllegalArgumentException.class, () -> m.probabilities("abcdefghijklmnopq"));
            assertThrows(IllegalArgumentException.class, () -> m.probabilities("em1"));
            List<String> samples = m.sample(30, 1.0, new Random(1));
            assertEquals(30, samples.size());
            for (String s : samples) {
                assertTrue(s.length() <= 15 && s.chars().allMatch(ch -> ch >= 'a' && ch <= 'z'), s);
            }
            assertEquals(27, m.embedding().size());
        }
    }

    /** The batched, padded evaluation scores each item exactly as probing it alone does. */
    @ParameterizedTest
    @ValueSource(strings = {"transformer", "gru"})
    void splitNllIsTheMeanOfEachItemsProbabilities(String model) {
        Corpus small = new Corpus(Dataset.parse("small", String.join("\n",
                NAMES.dataset().words().subList(0, 600)).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (LanguageModel m = Models.create(cfg("{\"model\":\"" + model + "\",\"seed\":2}"), small)) {
            for (int i = 0; i < 5; i++) {
                m.step(0.01);
            }
            double total = 0;
            long count = 0;
            for (String w : small.words(Corpus.Part.DEV)) {
                for (double p : m.probabilities(w)) {
                    total -= Math.log(p);
                    count++;
                }
            }
            assertEquals(total / count, m.nll(Corpus.Part.DEV), 1e-5);
            assertTrue(count > 300, "dev has " + count + " targets");
        }
    }

    /** SGD with lr 1 and clip c moves the parameters by exactly c when the gradient norm is larger. */
    @Test
    void clippingBoundsTheUpdate() {
        try (AutogradModel m = (AutogradModel) Models.create(cfg("{\"model\":\"rnn\",\"optimizer\":\"sgd\","
                + "\"weightDecay\":0,\"clip\":0.001}"), NAMES)) {
            List<float[]> before = m.parameters().stream().map(p -> p.toFloatArray()).toList();
            m.step(1.0);
            double sq = 0;
            for (int i = 0; i < before.size(); i++) {
                float[] after = m.parameters().get(i).toFloatArray();
                for (int j = 0; j < after.length; j++) {
                    sq += Math.pow(after[j] - before.get(i)[j], 2);
                }
            }
            assertEquals(0.001, Math.sqrt(sq), 1e-5);
        }
    }

    @Test
    void dropoutActsOnlyWhileTraining() {
        try (LanguageModel plain = Models.create(cfg("{\"model\":\"transformer\",\"layers\":1}"), NAMES);
                LanguageModel dropped = Models.create(cfg("{\"model\":\"transformer\",\"layers\":1,"
                        + "\"dropout\":0.5}"), NAMES)) {
            // same seed, same initial values: evaluation ignores dropout
            assertEquals(plain.nll(Corpus.Part.DEV), dropped.nll(Corpus.Part.DEV));
            plain.step(0.01);
            dropped.step(0.01);
            assertTrue(Math.abs(plain.drainLoss() - dropped.drainLoss()) > 1e-3, "dropout changes the training loss");
            assertEquals(dropped.nll(Corpus.Part.DEV), dropped.nll(Corpus.Part.DEV));
        }
    }

    @Test
    void savedRunLoadsWithTheSameNumbers(@TempDir Path dir) throws Exception {
        RunConfig c = cfg("{\"model\":\"gru\",\"seed\":4}");
        Path file = dir.resolve("gru.bin");
        double dev;
        List<String> samples;
        try (LanguageModel m = Models.create(c, NAMES)) {
            for (int i = 0; i < 20; i++) {
                m.step(0.01);
            }
            dev = m.nll(Corpus.Part.DEV);
            samples = m.sample(10, 1.0, new Random(2));
            m.save(file);
        }
        try (LanguageModel m = Models.load(c, NAMES, file)) {
            assertEquals(dev, m.nll(Corpus.Part.DEV));
            assertEquals(samples, m.sample(10, 1.0, new Random(2)));
        }
    }
}
