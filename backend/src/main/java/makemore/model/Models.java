package makemore.model;

import java.io.IOException;
import java.nio.file.Path;
import makemore.data.Corpus;
import makemore.train.RunConfig;

/** The one place that knows which class implements which {@code model} name. */
public final class Models {
    private Models() {}

    public static LanguageModel create(RunConfig cfg, Corpus corpus) {
        return switch (cfg.model()) {
            case "ngram" -> new CountNgram(cfg, corpus);
            case "neural" -> new NeuralNgram(cfg, corpus);
            case "mlp" -> new Mlp(cfg, corpus);
            default -> throw new IllegalArgumentException("unknown model " + cfg.model());
        };
    }

    /** A model built for {@code cfg} with the parameters saved at {@code file}. */
    public static LanguageModel load(RunConfig cfg, Corpus corpus, Path file) throws IOException {
        LanguageModel m = create(cfg, corpus);
        try {
            m.restore(file);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }
}
