package makemore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.event.Health;
import makemore.event.Saturation;
import org.junit.jupiter.api.Test;

/** Lecture 3's |h| > 0.99 image of a tanh layer, its dead units, and the per-item NLL the dev ranking stands on. */
class SaturationImageTest {
    static final Corpus NAMES = LayerHealthTest.NAMES;

    static Saturation image(String extra) {
        try (LanguageModel m = Models.create(LayerHealthTest.mlp(extra), NAMES)) {
            Health.Layer hidden = m.health(0.1).layers().stream().filter(l -> l.name().equals("hidden")).findFirst()
                    .orElseThrow();
            assertNull(m.health(0.1).layers().get(0).image(), "the embedding is no tanh layer");
            return hidden.image();
        }
    }

    /** Columns white on every row of the picture, counted from the picture itself. */
    static int deadFromImage(Saturation s) {
        int dead = 0;
        for (int u = 0; u < s.units(); u++) {
            boolean all = true;
            for (int r = 0; r < s.rows() && all; r++) {
                all = s.at(r, u);
            }
            dead += all ? 1 : 0;
        }
        return dead;
    }

    static int cells(Saturation s) {
        int n = 0;
        for (int r = 0; r < s.rows(); r++) {
            for (int u = 0; u < s.units(); u++) {
                n += s.at(r, u) ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void naiveInitIsFarWhiterThanKaimingAndDeadCountsTheAllWhiteColumns() {
        Saturation naive = image(",\"init\":\"naive\",\"batch\":64,\"hidden\":300");
        Saturation kaiming = image(",\"batch\":64,\"hidden\":300");
        for (Saturation s : List.of(naive, kaiming)) {
            assertNotNull(s);
            assertEquals(Saturation.MAX_UNITS, s.units(), "at most 200 units drawn");
            assertEquals(300, s.unitsTotal());
            assertEquals(Saturation.MAX_ROWS, s.rows());
            assertEquals(cells(s), s.saturatedCells());
            assertEquals(deadFromImage(s), s.dead());
        }
        System.out.printf("step 0 |h|>0.99: naive %d cells, %d dead; kaiming %d cells, %d dead (of %d)%n",
                naive.saturatedCells(), naive.dead(), kaiming.saturatedCells(), kaiming.dead(), 200 * 32);
        // measured: naive 4055 cells, Kaiming 736 (of 6400); neither has a unit white on all 32 rows at step 0
        assertTrue(naive.saturatedCells() > 3 * Math.max(1, kaiming.saturatedCells()),
                naive.saturatedCells() + " vs " + kaiming.saturatedCells());
        assertTrue(naive.saturatedCells() > 0.4 * naive.rows() * naive.units(), "most of the naive picture is white");
    }

    @Test
    void aTransformerHasNoTanhImage() {
        RunConfig c = Models.validate(RunConfig.fromJson("{\"model\":\"transformer\",\"batch\":16}"));
        try (LanguageModel m = Models.create(c, NAMES)) {
            Health h = m.health(0.01);
            assertTrue(h.layers().size() > 0);
            for (Health.Layer l : h.layers()) {
                assertTrue(!l.kind().equals("tanh") && l.image() == null, l.name() + " " + l.kind());
            }
        }
    }

    /** A sequence model scores each item in one pass; the value is the explain view's mean NLL for that item. */
    @Test
    void itemNllIsTheExplainedMeanForSequenceAndContextModels() {
        List<String> words = NAMES.words(Corpus.Part.DEV).subList(0, 40);
        for (String cfg : new String[] {"{\"model\":\"rnn\"}", "{\"model\":\"mlp\",\"hidden\":16}"}) {
            try (LanguageModel m = Models.create(Models.validate(RunConfig.fromJson(cfg)), NAMES)) {
                double[] nll = m.itemNll(words);
                for (int i = 0; i < words.size(); i++) {
                    assertEquals(Sampler.explain(m, words.get(i)).nll(), nll[i], 1e-4, cfg + " " + words.get(i));
                }
            }
        }
    }
}
