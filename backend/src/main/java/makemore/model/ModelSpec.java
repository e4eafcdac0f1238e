package makemore.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import makemore.data.Corpus;
import makemore.config.FieldSpec;
import makemore.config.ModelSchema;
import makemore.config.RunConfig;

/**
 * A model as the lab knows it: its name, what it is, the config fields it reads (with defaults and ranges), how to
 * build it, and what a config of it costs in memory. Each model file declares one; {@link Models} lists them.
 *
 * @param fields  every field this model reads besides dataset and model; the rest of a config is dropped
 * @param bytes   estimated peak memory of a run (parameters, optimizer state, one step's activations) for a
 *                corpus, so the lab can refuse a config before anything trains
 */
public record ModelSpec(String name, String title, String help, boolean trainable, List<FieldSpec> fields,
        @JsonIgnore Factory factory, @JsonIgnore Estimate bytes, @JsonIgnore Check check) implements ModelSchema {

    public interface Factory {
        LanguageModel create(RunConfig cfg, Corpus corpus);
    }

    public interface Estimate {
        long bytes(RunConfig cfg, Corpus corpus);
    }

    /** Rules across fields (e.g. embDim divisible by heads); throws a ConfigException naming the field. */
    public interface Check {
        void check(RunConfig cfg);
    }

    @Override
    public void checkAcross(RunConfig cfg) {
        if (check != null) {
            check.check(cfg);
        }
    }
}
