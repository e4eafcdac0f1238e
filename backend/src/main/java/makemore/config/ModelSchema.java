package makemore.config;

import java.util.List;
import java.util.Optional;

/**
 * What a config needs to know of a model to be resolved and validated: its name, whether it trains, the fields it
 * reads and the rules across them. The model registry hands one to {@link RunConfig#resolve} and
 * {@link RunConfig#validate}, so this package never names a model.
 */
public interface ModelSchema {
    String name();

    boolean trainable();

    /** Every field the model reads besides dataset and model; the rest of a config is dropped. */
    List<FieldSpec> fields();

    /** Rules across fields (e.g. embDim divisible by heads); throws a {@link ConfigException} naming the field. */
    default void checkAcross(RunConfig cfg) {}

    default Optional<FieldSpec> field(String fieldName) {
        return fields().stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}
