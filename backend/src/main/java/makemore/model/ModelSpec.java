package makemore.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import makemore.data.Corpus;
import makemore.config.FieldSpec;
import makemore.config.ModelSchema;
import makemore.config.RunConfig;

/**
 * A model as the lab knows it: its name, what it is, the config fields it reads (with defaults and ranges), how to
 * build it, and what a config of it costs in memory and time. Each model file declares one; {@link Models} lists them.
 *
 * @param fields  every field this model reads besides dataset and model; the rest of a config is dropped
 * @param cost    a config's estimated peak memory and the work of one step and of one evaluation, for a corpus,
 *                so the lab can refuse a config (too big or too long) before anything trains
 */
public record ModelSpec(String name, String title, String help, boolean trainable, List<FieldSpec> fields,
        @JsonIgnore Factory factory, @JsonIgnore Estimate cost, @JsonIgnore Check check) implements ModelSchema {

    public interface Factory {
        LanguageModel create(RunConfig cfg, Corpus corpus);
    }

    public interface Estimate {
        Cost cost(RunConfig cfg, Corpus corpus);
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
