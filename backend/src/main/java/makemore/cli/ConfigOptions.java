package makemore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.Recipes;
import makemore.config.RunConfig;
import makemore.model.ModelSpec;
import makemore.model.Models;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The run config as options, made from the model registry so nothing mirrors a field by hand: one option per field
 * any model reads, whose help is the field's own text with its type, range and default for each model that reads
 * it. {@code --recipe NAME} (a named config, {@link Recipes}) and then {@code --config JSON} give a base; each flag
 * then sets one field; {@link #read} validates once.
 */
final class ConfigOptions {
    private ConfigOptions() {}

    /** Adds --config, --data, --model and one option per config field to {@code spec}, in two help sections. */
    static void addTo(CommandSpec spec) {
        ArgGroupSpec.Builder base = ArgGroupSpec.builder().heading("%nWhat to train:%n").exclusive(false)
                .multiplicity("0..1");
        base.addArg(OptionSpec.builder("--model").paramLabel("MODEL").type(String.class)
                .completionCandidates(Models.names())
                .description("the model: one of " + String.join(", ", Models.names()) + " (default "
                        + RunConfig.DEFAULT_MODEL + ")").build());
        base.addArg(OptionSpec.builder("--data", "--dataset").paramLabel("FILE").type(String.class)
                .description("'names' (the built-in list, default) or a text file with one item per line").build());
        base.addArg(OptionSpec.builder("--config").paramLabel("JSON").type(String.class)
                .description("a whole run config as JSON (as the page's share links and the database hold it);"
                        + " flags set fields on top of it").build());
        base.addArg(OptionSpec.builder("--recipe").paramLabel("NAME").type(String.class)
                .completionCandidates(Recipes.names())
                .description("a named config to start from: one of " + String.join(", ", Recipes.names())
                        + "; --config and flags set fields on top of it").build());
        spec.addArgGroup(base.build());
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading(
                "%nConfig fields (a field the chosen model does not read is dropped):%n").exclusive(false)
                .multiplicity("0..1");
        for (Map.Entry<String, Map<String, FieldSpec>> e : byField().entrySet()) {
            group.addArg(option(e.getKey(), e.getValue()));
        }
        spec.addArgGroup(group.build());
    }

    /** Every config field any model reads, each with its spec per model, in registry order. */
    static Map<String, Map<String, FieldSpec>> byField() {
        Map<String, Map<String, FieldSpec>> out = new LinkedHashMap<>();
        for (ModelSpec m : Models.all()) {
            for (FieldSpec f : m.fields()) {
                out.computeIfAbsent(f.name(), k -> new LinkedHashMap<>()).put(m.name(), f);
            }
        }
        return out;
    }

    private static OptionSpec option(String name, Map<String, FieldSpec> perModel) {
        FieldSpec first = perModel.values().iterator().next();
        OptionSpec.Builder b = OptionSpec.builder("--" + name).type(typeOf(name)).paramLabel(label(first));
        if (first.type().equals("bool")) {
            b.arity("0..1");
        }
        if (first.choices() != null) {
            b.completionCandidates(first.choices());
        }
        return b.description(describe(perModel).toArray(String[]::new)).build();
    }

    /** The field's help, then its type, range and default for each group of models that agree on them. */
    static List<String> describe(Map<String, FieldSpec> perModel) {
        List<String> lines = new ArrayList<>();
        Map<String, List<String>> helps = new LinkedHashMap<>();
        Map<String, List<String>> shapes = new LinkedHashMap<>();
        perModel.forEach((model, f) -> {
            helps.computeIfAbsent(f.help(), k -> new ArrayList<>()).add(model);
            shapes.computeIfAbsent(shape(f), k -> new ArrayList<>()).add(model);
        });
        helps.forEach((help, models) -> lines.add(escape(helps.size() > 1 ? String.join(", ", models) + ": " + help
                : help)));
        shapes.forEach((shape, models) -> lines.add(escape(String.join(", ", models) + ": " + shape)));
        return lines;
    }

    private static String shape(FieldSpec f) {
        String range = switch (f.type()) {
            case "int", "float" -> f.type() + " in " + (f.minOpen() ? "(" : "[") + FieldSpec.fmt(f.min()) + ", "
                    + FieldSpec.fmt(f.max()) + "]";
            case "choice" -> "one of " + String.join(", ", f.choices());
            default -> "true or false";
        };
        Object d = f.dflt();
        return range + ", default " + (d instanceof Number n ? FieldSpec.fmt(n.doubleValue()) : d);
    }

    private static String label(FieldSpec f) {
        return switch (f.type()) {
            case "int" -> "INT";
            case "float" -> "NUM";
            case "choice" -> "CHOICE";
            default -> "BOOL";
        };
    }

    private static Class<?> typeOf(String field) {
        for (RecordComponent c : RunConfig.class.getRecordComponents()) {
            if (c.getName().equals(field)) {
                return c.getType();
            }
        }
        throw new IllegalStateException("a model reads '" + field + "', which RunConfig does not have");
    }

    /** picocli formats descriptions: a literal percent sign is written twice. */
    private static String escape(String s) {
        return s.replace("%", "%%");
    }

    /** The config the command line gives: --recipe, --config, then --model, --data each field flag; validated once. */
    static RunConfig read(CommandSpec spec) {
        ParseResult pr = spec.commandLine().getParseResult();
        String recipe = pr.matchedOptionValue("--recipe", null);
        ObjectNode node = recipe == null ? Cli.JSON.createObjectNode() : object(Recipes.json(recipe), "recipe");
        String base = pr.matchedOptionValue("--config", null);
        if (base != null) {
            node.setAll(object(base, "config"));
        }
        if (pr.hasMatchedOption("--model")) {
            node.put("model", (String) pr.matchedOptionValue("--model", null));
        }
        if (pr.hasMatchedOption("--data")) {
            node.put("dataset", (String) pr.matchedOptionValue("--data", null));
        }
        for (String f : byField().keySet()) {
            if (pr.hasMatchedOption("--" + f)) {
                Object v = pr.matchedOptionValue("--" + f, null);
                node.set(f, Cli.JSON.valueToTree(v == null ? Boolean.TRUE : v)); // a bare boolean flag means true
            }
        }
        return Models.validate(RunConfig.fromTree(node));
    }

    private static ObjectNode object(String json, String flag) {
        try {
            return (ObjectNode) Cli.JSON.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new ConfigException(flag, "--" + flag + " must be a JSON object: " + e.getMessage());
        }
    }
}
