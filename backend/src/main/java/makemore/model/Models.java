package makemore.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import makemore.data.Corpus;
import makemore.config.ConfigException;
import makemore.config.RunConfig;

/**
 * The registry: every model the lab offers, in the order the page lists them. A new model is one file that declares
 * its {@link ModelSpec} plus one line here; validation, the CLI's flags and {@code GET /api/models} read from this.
 */
public final class Models {
    private Models() {}

    private static final List<ModelSpec> ALL = List.of(
            CountNgram.SPEC,
            NeuralNgram.SPEC,
            Mlp.SPEC,
            WaveNet.SPEC,
            Rnn.RNN_SPEC,
            Rnn.GRU_SPEC,
            Transformer.SPEC);

    /** The largest run the lab starts: parameters, optimizer state and one step's activations, estimated. */
    public static final long MAX_RUN_BYTES = 1L << 30;

    public static List<ModelSpec> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(ModelSpec::name).toList();
    }

    public static ModelSpec spec(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(s -> s.name().equals(n)).findFirst().orElseThrow(() -> new ConfigException("model",
                "model must be one of " + names() + ", got '" + name + "'"));
    }

    /**
     * What only the data can tell: refuses a config whose estimated memory for this corpus's vocabulary is over
     * {@link #MAX_RUN_BYTES}, before anything is built.
     */
    public static void checkFits(RunConfig cfg, Corpus corpus) {
        ModelSpec s = spec(cfg.model());
        long bytes = s.bytes().bytes(cfg, corpus);
        if (bytes > MAX_RUN_BYTES) {
            throw new ConfigException(s.fields().stream().anyMatch(f -> f.name().equals("batch")) ? "batch" : "context",
                    "this " + s.name() + " would need about " + mb(bytes) + " MB (parameters, optimizer state and one"
                            + " step's activations for a vocabulary of " + corpus.vocab().size() + "); the limit is "
                            + mb(MAX_RUN_BYTES) + " MB: lower the sizes, batch or context");
        }
    }

    /** The config with its model's defaults filled in and the fields it does not read dropped; not range-checked. */
    public static RunConfig resolve(RunConfig cfg) {
        return cfg.resolve(spec(modelOf(cfg)));
    }

    /** The one validation of a config: defaults resolved, every range and cross-field rule checked. */
    public static RunConfig validate(RunConfig cfg) {
        return cfg.validate(spec(modelOf(cfg)));
    }

    /** Every default, for the default model. */
    public static RunConfig defaults() {
        return resolve(RunConfig.fromJson("{}"));
    }

    private static String modelOf(RunConfig cfg) {
        return cfg.model() == null ? RunConfig.DEFAULT_MODEL : cfg.model();
    }

    public static LanguageModel create(RunConfig cfg, Corpus corpus) {
        return spec(cfg.model()).factory().create(cfg, corpus);
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

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
