package makemore.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import makemore.event.EmbeddingPoint;

/** What a training run tells whoever listens (CLI, WebSocket, store). Serialised with Jackson, {@code type} included. */
public sealed interface RunEvent {
    @JsonProperty("type")
    String type();

    long step();

    /**
     * Mean minibatch NLL over the steps since the previous progress point, and the regularisation penalty the
     * optimiser adds on top at this point (NaN when the model has none).
     */
    record Progress(long step, double trainLoss, double lr, double stepsPerSec, double penalty) implements RunEvent {
        public Progress(long step, double trainLoss, double lr, double stepsPerSec) {
            this(step, trainLoss, lr, stepsPerSec, Double.NaN);
        }

        public String type() { return "progress"; }
    }

    /** NLL of a whole split. */
    record Eval(long step, String split, double loss) implements RunEvent {
        public String type() { return "eval"; }
    }

    record Samples(long step, List<Sample> names) implements RunEvent {
        public String type() { return "samples"; }
    }

    record Embedding(long step, List<EmbeddingPoint> points) implements RunEvent {
        public String type() { return "embedding"; }
    }

    /** A learning-rate change that took effect at {@code step} (the first step trained with it). */
    record LrChange(long step, double lr) implements RunEvent {
        public String type() { return "lr"; }
    }

    /**
     * Layer statistics at an evaluation (lecture 3's diagnostics, see {@link makemore.event.Health}); in a stored
     * run's history the histograms are left out (only the latest evaluation's are kept).
     */
    record Health(long step, List<makemore.event.Health.Layer> layers, List<makemore.event.Health.Weight> weights,
            List<makemore.event.Health.Histogram> histograms) implements RunEvent {
        public String type() { return "health"; }

        public Health withoutHistograms() {
            return new Health(step, layers, weights, List.of());
        }
    }

    /**
     * The dev items the model scores worst and best at an evaluation, by mean NLL per token (as the explain view
     * gives it), hardest and easiest first; {@code tracked}: every item listed at this or an earlier evaluation of
     * the run, with its NLL now, so a chosen item's NLL can be followed from the evaluation it was first listed.
     */
    record DevNames(long step, List<ItemNll> hardest, List<ItemNll> easiest, java.util.Map<String, Double> tracked)
            implements RunEvent {
        public String type() { return "names"; }
    }

    /** One item and its mean NLL per token. */
    record ItemNll(String text, double nll) {}

    record Status(long step, RunStatus status, String message) implements RunEvent {
        public String type() { return "status"; }
    }

    /** A generated item and the split that already holds it ("train", "dev", "test"), or null when it is new. */
    record Sample(String text, String seen) {}
}
