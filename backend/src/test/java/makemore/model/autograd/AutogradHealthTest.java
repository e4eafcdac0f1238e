package makemore.model.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.event.Health;
import makemore.model.Models;
import org.junit.jupiter.api.Test;

class AutogradHealthTest {
    private static final Corpus NAMES = new Corpus(Dataset.builtinNames());
    private static final String RNN = "{\"model\":\"rnn\",\"embDim\":8,\"hidden\":16,\"batch\":8}";

    /**
     * A recurrent cell taps every position, so each position's gradient includes what flows back from the later
     * ones; health joins the taps into one layer of the batch's real positions, without the padding cells.
     */
    @Test
    void recurrentLayerIsEveryRealPosition() {
        RunConfig cfg = Models.validate(RunConfig.fromJson(RNN));
        try (AutogradModel a = (AutogradModel) Models.create(cfg, NAMES);
                AutogradModel b = (AutogradModel) Models.create(cfg, NAMES)) {
            List<AutogradHealth.Tap> taps = new ArrayList<>();
            Batch in = a.healthPass(taps, AutogradHealth.MAX_ROWS); // the batch b's first health pass measures
            assertEquals(in.length, taps.size());
            assertTrue(taps.stream().allMatch(t -> t.name().equals("hidden")));
            assertTrue(in.count < in.items * in.length, "this batch has padding");
            Health h = b.health(cfg.lr());
            for (Health.Histogram g : h.histograms()) {
                assertEquals(in.count * 16, Arrays.stream(g.counts()).sum(), g.of());
            }
        }
    }
}
