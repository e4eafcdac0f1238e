package makemore.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.config.RunConfig;
import org.junit.jupiter.api.Test;

/**
 * Count models of every smoothing method come from counts taken once per dataset and context, and score exactly
 * as a model built from scratch (the cache once silently stopped serving anything when Kneser-Ney's fields came in).
 */
class CountCacheTest {
    private static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    private static RunConfig cfg(String json) {
        return Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"context\":3," + json + "}"));
    }

    @Test
    void addKAndKneserNeyShareOneCountAndScoreAsFromScratch() {
        assertFalse(CountCache.holds(NAMES, 3));
        for (String json : new String[] {"\"smoothing\":0.1", "\"method\":\"kneser-ney\",\"discount\":0.6",
                "\"smoothing\":1", "\"method\":\"kneser-ney\"", "\"method\":\"addk\",\"smoothing\":0"}) {
            RunConfig c = cfg(json);
            try (LanguageModel cached = CountCache.create(c, NAMES); LanguageModel fresh = Models.create(c, NAMES)) {
                assertTrue(CountCache.holds(NAMES, 3), json + ": served from the held counts");
                assertEquals(fresh.nll(Corpus.Part.DEV), cached.nll(Corpus.Part.DEV), 1e-12, json);
            }
        }
    }
}
