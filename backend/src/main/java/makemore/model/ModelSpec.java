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
 * @param group   null, or how configs of the same shapes train together as one batched model (a sweep's points)
 */
public record ModelSpec(String name, String title, String help, boolean trainable, List<FieldSpec> fields,
        @JsonIgnore Factory factory, @JsonIgnore Estimate cost, @JsonIgnore Check check, @JsonIgnore Group group)
        implements ModelSchema {

    public ModelSpec(String name, String title, String help, boolean trainable, List<FieldSpec> fields,
            Factory factory, Estimate cost, Check check) {
        this(name, title, help, trainable, fields, factory, cost, check, null);
    }

    /** This model, trained together with configs of the same shapes by {@code g}. */
    public ModelSpec withGroup(Group g) {
        return new ModelSpec(name, title, help, trainable, fields, factory, cost, check, g);
    }

    /** The opt-in of a model whose points can train as one model with a leading K dimension. */
    public interface Group {
        /** Configs with equal keys have parameters of the same shapes; null when this config cannot join a group. */
        String shapeKey(RunConfig cfg);

        /**
         * One model per config, each trained by its own trainer (on its own thread) as if alone: their steps meet and
         * run as one batched step. Each member's parameters, batches and losses are its own.
         */
        List<LanguageModel> members(List<RunConfig> cfgs, Corpus corpus);
    }

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
