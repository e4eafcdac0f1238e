package makemore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.RunConfig;
import org.junit.jupiter.api.Test;

class NeuralNgramTest {
    @Test
    void withoutL2ItConvergesToTheUnsmoothedCountModel() {
        Corpus c = new Corpus(Dataset.builtinNames());
        double counts = new CountNgram(Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"smoothing\":0}")), c)
                .nll(Corpus.Part.TRAIN);
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"neural\",\"l2\":0,\"lr\":50,\"steps\":600}"));
        try (LanguageModel m = Models.create(cfg, c)) {
            double start = m.nll(Corpus.Part.TRAIN);
            for (int i = 0; i < cfg.steps(); i++) {
                m.step(cfg.lr());
            }
            double end = m.nll(Corpus.Part.TRAIN);
            assertTrue(start > 3.0, "random init starts high: " + start);
            assertEquals(counts, end, 0.01, "neural bigram train NLL vs counts");
            assertEquals(end, m.drainLoss(), 0.05, "training loss tracks the full-split NLL");
        }
    }

    @Test
    void minibatchStepsLowerTheLossToo() {
        Corpus c = new Corpus(Dataset.builtinNames());
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"neural\",\"context\":2,\"batch\":64,\"lr\":20,\"l2\":0.001}"));
        try (LanguageModel m = Models.create(cfg, c)) {
            double start = m.nll(Corpus.Part.DEV);
            for (int i = 0; i < 400; i++) {
                m.step(cfg.lr());
            }
            double end = m.nll(Corpus.Part.DEV);
            assertTrue(end < start - 0.5, start + " -> " + end);
        }
    }
}
