package makemore.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import makemore.data.Corpus;
import makemore.config.ConfigException;
import makemore.config.Limits;
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

    /** A validated config's estimated memory and time on this data and machine; checks no bound. */
    public static RunEstimate estimate(RunConfig cfg, Corpus corpus) {
        return RunEstimate.of(cfg, spec(cfg.model()).cost().cost(cfg, corpus), MachineSpeed.THIS_MACHINE);
    }

    /**
     * What only the data can tell: refuses a config whose estimated memory for this corpus's vocabulary is over
     * {@link Limits#RUN_BYTES}, or whose estimated time on this machine is over {@link Limits#RUN_SECONDS}, before
     * anything is built; the refusal names the fields that drive the time. Returns the estimate.
     */
    public static RunEstimate checkFits(RunConfig cfg, Corpus corpus) {
        ModelSpec s = spec(cfg.model());
        RunEstimate e = estimate(cfg, corpus);
        if (e.bytes() > Limits.RUN_BYTES) {
            throw new ConfigException(s.fields().stream().anyMatch(f -> f.name().equals("batch")) ? "batch" : "context",
                    "this " + s.name() + " would need about " + mb(e.bytes()) + " MB (parameters, optimizer state and"
                            + " one step's activations for a vocabulary of " + corpus.vocab().size() + "); the limit is "
                            + mb(Limits.RUN_BYTES) + " MB: lower the sizes, batch or context");
        }
        if (e.seconds() > Limits.RUN_SECONDS) {
            List<String> drivers = TimeDrivers.of(s, cfg, corpus, e.seconds());
            throw new ConfigException(drivers.get(0), "this " + s.name() + " would take about "
                    + RunEstimate.duration(e.seconds()) + " on this machine (" + e.breakdown() + "); the limit is "
                    + RunEstimate.duration(Limits.RUN_SECONDS) + ": " + TimeDrivers.advice(drivers));
        }
        return e;
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
