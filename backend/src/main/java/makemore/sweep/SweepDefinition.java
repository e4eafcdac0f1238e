package makemore.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import makemore.model.ModelSpec;
import makemore.model.Models;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.Limits;
import makemore.config.RunConfig;

/**
 * A sweep as stored and as sent: a base run config, one to six numeric fields each with its values, how many seeds
 * each point is repeated with, and optional median pruning. {@link #parse} checks everything it can without data;
 * {@link #expand} turns it into ordinary run configs, each validated by {@link RunConfig#validate()}.
 *
 * <p>JSON: {@code {"base": {run config}, "params": [{"field": "smoothing", "values": [0.01, 0.1]} or
 * {"field": "lr", "range": {"lo": 1e-3, "hi": 1, "points": 7, "scale": "log"}}], "seeds": 1,
 * "prune": null | {"margin": 0.02, "minFinished": 3}, "search": {@link Search}}}. Under random or asha search a
 * param is {"field", "range": {"lo", "hi", "scale"}} (no points) or a values list to draw from.
 */
public record SweepDefinition(RunConfig base, List<Param> params, int seeds, Prune prune, Search search) {

    /**
     * One swept field and the values it takes, in order (a range is stored as its values and how it was made). Under
     * random search a range is [lo, hi] with scale lin or log, a values list has scale {@link Search#CHOICE}.
     */
    public record Param(String field, List<Double> values, String scale) {}

    /** Median pruning: a point whose dev at an evaluation exceeds the median of finished points there by margin. */
    public record Prune(double margin, int minFinished) {}

    /** One run of the sweep: its index, the swept values (and seed when repeated), and its full config. */
    public record Point(int index, int group, Map<String, Object> params, RunConfig config) {}

    /** Fields one sweep may vary: parallel coordinates stay readable up to six axes (plus dev). */
    public static final int MAX_FIELDS = 6;

    /** As strict as a run config: duplicate keys and anything after the object are refused. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public static SweepDefinition parse(String json) {
        JsonNode root;
        try {
            root = JSON.readerFor(JsonNode.class).readValue(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("sweep", "the sweep is not valid JSON: " + RunConfig.plainJson(e));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("sweep", "a sweep is a JSON object {base, params, seeds, prune}");
        }
        return parse(root);
    }

    public static SweepDefinition parse(JsonNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!Set.of("base", "params", "seeds", "prune", "search").contains(k)) {
                throw new ConfigException(k, "unknown sweep field '" + k + "'; a sweep has base, params, seeds, prune,"
                        + " search");
            }
        }
        JsonNode baseNode = root.path("base");
        if (!baseNode.isMissingNode() && !baseNode.isObject()) {
            throw new ConfigException("base", "base must be a run config object");
        }
        RunConfig base = Models.validate(baseNode.isMissingNode() ? RunConfig.fromJson("{}") : RunConfig.fromTree(baseNode));
        ModelSpec spec = Models.spec(base.model());
        Search search = Search.parse(root.path("search"), base, spec);
        JsonNode ps = root.path("params");
        if (!ps.isArray() || ps.size() < 1 || ps.size() > MAX_FIELDS) {
            throw new ConfigException("params", "params must list 1 to " + MAX_FIELDS + " fields to sweep"
                    + (search.drawn() ? "" : " (two or more make a grid)"));
        }
        List<Param> params = new ArrayList<>();
        JsonNode baseValues = JSON.valueToTree(base);
        for (JsonNode p : ps) {
            Param param = param(p, spec, search.drawn());
            FieldSpec f = spec.field(param.field()).orElseThrow();
            if (!baseValues.has(param.field()) && f.showIf() != null) { // every point would train the same
                throw new ConfigException(param.field(), param.field() + " is read only when " + f.showIf()
                        + "; set that in the base config to sweep it");
            }
            if (params.stream().anyMatch(q -> q.field().equals(param.field()))) {
                throw new ConfigException(param.field(), param.field() + " is swept twice; give each field once");
            }
            params.add(param);
        }
        int seeds = 1;
        if (root.has("seeds")) {
            JsonNode s = root.get("seeds");
            if (!s.isInt() || s.asInt() < 1 || s.asInt() > Limits.SWEEP_SEEDS) {
                throw new ConfigException("seeds", "seeds must be an integer in [1, " + Limits.SWEEP_SEEDS + "], got " + s);
            }
            seeds = s.asInt();
        }
        if (search.drawn() && params.stream().allMatch(p -> p.scale().equals(Search.CHOICE))) {
            throw new ConfigException("search", "--search " + search.kind() + " draws from ranges (--range lo:hi or"
                    + " lo:hi:log); with --values lists only, a grid is meant: use --search grid");
        }
        if (search.drawn() && seeds > 1) {
            throw new ConfigException("seeds", "--seeds must be 1 with --search " + search.kind() + ": each trial is"
                    + " its own draw (add seed as a swept field to vary it)");
        }
        if (search.asha() && root.has("prune") && !root.get("prune").isNull()) {
            throw new ConfigException("prune", "--prune is the median rule; --search asha prunes at its rungs instead");
        }
        if (seeds > 1 && params.stream().anyMatch(p -> p.field().equals("seed"))) {
            throw new ConfigException("seeds", "the sweep varies seed itself; seeds per point must be 1");
        }
        Prune prune = null;
        JsonNode pr = root.path("prune");
        if (!pr.isMissingNode() && !pr.isNull()) {
            Search.only(pr, "prune", Set.of("margin", "minFinished"));
            double margin = pr.path("margin").isNumber() ? pr.get("margin").asDouble() : Double.NaN;
            if (!Limits.PRUNE_MARGIN.contains(margin)) {
                throw new ConfigException("prune", "prune.margin must be a number in " + Limits.PRUNE_MARGIN
                        + " (nats of dev NLL), got " + pr.path("margin"));
            }
            int min = pr.has("minFinished") ? pr.get("minFinished").asInt(-1) : 3;
            if (min < 1 || min > Limits.SWEEP_RUNS) {
                throw new ConfigException("prune", "prune.minFinished must be in [1, " + Limits.SWEEP_RUNS + "]");
            }
            if (!spec.trainable()) {
                throw new ConfigException("prune", "pruning stops runs while they train; " + spec.name()
                        + " is fitted at once");
            }
            prune = new Prune(margin, min);
        }
        long runs = search.drawn() ? search.trials() : seeds;
        for (Param p : search.drawn() ? List.<Param>of() : params) {
            runs *= p.values().size();
        }
        if (runs > Limits.SWEEP_RUNS) {
            throw new ConfigException("params", "the sweep has " + runs + " runs (values x seeds); the limit is "
                    + Limits.SWEEP_RUNS);
        }
        return new SweepDefinition(base, List.copyOf(params), seeds, prune, search);
    }


    private static Param param(JsonNode p, ModelSpec spec, boolean drawn) {
        String field = p.path("field").asText("");
        if (field.isEmpty()) {
            throw new ConfigException("params", "each param needs a field name");
        }
        FieldSpec f = spec.field(field).orElseThrow(() -> new ConfigException(field, "model " + spec.name()
                + " has no field '" + field + "' to sweep; its numeric fields: " + numericFields(spec)));
        if (!f.type().equals("int") && !f.type().equals("float")) {
            throw new ConfigException(field, field + " is a " + f.type() + " field; only int and float fields can be"
                    + " swept (numeric fields: " + numericFields(spec) + ")");
        }
        boolean hasValues = p.has("values");
        boolean hasRange = p.has("range");
        if (hasValues == hasRange) {
            throw new ConfigException(field, field + ": give either values [a, b, ...] or a range {lo, hi, points, scale}");
        }
        for (Iterator<String> it = p.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!Set.of("field", "values", "range", "scale").contains(k) || (k.equals("scale") && (hasRange || drawn))) {
                throw new ConfigException(field, field + ": unknown key '" + k + "' (field, values [+ scale for the"
                        + " plot] or range)");
            }
        }
        if (drawn && hasRange) {
            Search.only(p.get("range"), field + ".range", Set.of("lo", "hi", "points", "scale"));
            return Search.drawnRange(field, p.get("range"), f);
        }
        List<Double> values = new ArrayList<>();
        String scale;
        if (hasValues) {
            JsonNode vs = p.get("values");
            if (!vs.isArray() || vs.isEmpty()) {
                throw new ConfigException(field, field + ": values must be a non-empty list of numbers (zero points)");
            }
            if (vs.size() > Limits.SWEEP_RUNS) {
                throw new ConfigException(field, field + ": at most " + Limits.SWEEP_RUNS + " values");
            }
            for (JsonNode v : vs) {
                if (!v.isNumber()) {
                    throw new ConfigException(field, field + ": values must be numbers, got " + v);
                }
                values.add(v.asDouble());
            }
            scale = drawn ? Search.CHOICE : p.path("scale").asText("list"); // how a plot spaces them
            if (!Set.of("list", "lin", "log", Search.CHOICE).contains(scale)) {
                throw new ConfigException(field, field + ": scale must be list, lin or log, got '" + scale + "'");
            }
        } else {
            JsonNode r = p.get("range");
            Search.only(r, field + ".range", Set.of("lo", "hi", "points", "scale"));
            double lo = r.path("lo").isNumber() ? r.get("lo").asDouble() : Double.NaN;
            double hi = r.path("hi").isNumber() ? r.get("hi").asDouble() : Double.NaN;
            int n = r.path("points").isInt() ? r.get("points").asInt() : -1;
            scale = r.path("scale").asText("lin");
            if (Double.isNaN(lo) || Double.isNaN(hi)) {
                throw new ConfigException(field, field + ": a range needs numbers lo and hi");
            }
            if (n < 1 || n > Limits.SWEEP_RUNS) {
                throw new ConfigException(field, field + ": range points must be an integer in [1, " + Limits.SWEEP_RUNS
                        + "], got " + r.path("points"));
            }
            if (!scale.equals("lin") && !scale.equals("log")) {
                throw new ConfigException(field, field + ": range scale must be lin or log, got '" + scale + "'");
            }
            if (scale.equals("log") && !(lo > 0 && hi > 0)) {
                throw new ConfigException(field, field + ": a log range needs lo > 0 and hi > 0, got lo " + lo
                        + ", hi " + hi);
            }
            if (n > 1 && !(lo < hi)) {
                throw new ConfigException(field, field + ": a range needs lo < hi, got lo " + lo + ", hi " + hi);
            }
            values = grid(lo, hi, n, scale.equals("log"));
        }
        if (f.type().equals("int")) {
            List<Double> ints = new ArrayList<>();
            for (double v : values) {
                double r = Math.rint(v);
                if (hasValues && r != v) {
                    throw new ConfigException(field, field + " is an integer field, got " + v);
                }
                if (!ints.contains(r)) {
                    ints.add(r);
                } else if (hasValues) {
                    throw new ConfigException(field, field + ": the value " + FieldSpecFmt.fmt(r) + " is given twice");
                }
            }
            values = ints; // a range over an int field is rounded; equal values after rounding count once
        } else if (hasValues && values.stream().distinct().count() != values.size()) {
            throw new ConfigException(field, field + ": a value is given twice");
        }
        return new Param(field, List.copyOf(values), scale);
    }

    /** n values from lo to hi, evenly spaced (lin) or evenly spaced in log (log); ends exact. */
    static List<Double> grid(double lo, double hi, int n, boolean log) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double t = n == 1 ? 0 : (double) i / (n - 1);
            double v = log ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo);
            out.add(i == n - 1 && n > 1 ? hi : i == 0 ? lo : v);
        }
        return out;
    }

    static String numericFields(ModelSpec spec) {
        return String.join(", ", spec.fields().stream()
                .filter(f -> f.type().equals("int") || f.type().equals("float")).map(FieldSpec::name).toList());
    }

    /** Runs this sweep makes: values of each field multiplied, times seeds. */
    public int size() {
        if (search.drawn()) {
            return search.trials();
        }
        int n = seeds;
        for (Param p : params) {
            n *= p.values().size();
        }
        return n;
    }

    /**
     * Every run of the sweep, first field outermost, seeds innermost. Each config is validated; a value the model
     * refuses is an error naming the point and the field, and nothing is created.
     */
    public List<Point> expand() {
        List<Point> out = new ArrayList<>();
        if (search.drawn()) { // each trial is its own group: no two share swept values
            ModelSpec spec = Models.spec(base.model());
            for (Map<String, Object> values : RandomTrials.draw(params, search.trials(), search.seed(),
                    f -> spec.field(f).orElseThrow().type().equals("int"))) {
                out.add(point(out.size(), out.size(), values));
            }
            return out;
        }
        int groups = size() / seeds;
        for (int group = 0; group < groups; group++) {
            int[] at = new int[params.size()]; // the group's value index per field, the last field fastest
            for (int f = params.size() - 1, rest = group; f >= 0; f--) {
                at[f] = rest % params.get(f).values().size();
                rest /= params.get(f).values().size();
            }
            for (int s = 0; s < seeds; s++) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int f = 0; f < params.size(); f++) {
                    values.put(params.get(f).field(), value(params.get(f), at[f]));
                }
                if (seeds > 1) {
                    values.put("seed", base.seed() + s);
                }
                out.add(point(out.size(), group, values));
            }
        }
        return out;
    }

    private Point point(int index, int group, Map<String, Object> values) {
        RunConfig cfg = base;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            cfg = cfg.with(e.getKey(), e.getValue());
        }
        try {
            cfg = Models.validate(cfg);
        } catch (ConfigException e) {
            throw new ConfigException(e.field(), "point " + index + " " + values + ": " + e.getMessage());
        }
        return new Point(index, group, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values)), cfg);
    }

    /** The value as the config takes it: a long for int fields (so JSON shows 64, not 64.0). */
    private Object value(Param p, int i) {
        double v = p.values().get(i);
        FieldSpec f = Models.spec(base.model()).field(p.field()).orElseThrow();
        return f.type().equals("int") ? (Object) (long) v : (Object) v;
    }

    /** Canonical JSON: the same sweep always prints the same way (its hash is taken from this). */
    public ObjectNode toJsonTree() {
        ObjectNode o = JSON.createObjectNode();
        try {
            o.set("base", JSON.readTree(base.toJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode ps = o.putArray("params");
        for (Param p : params) {
            ObjectNode q = ps.addObject().put("field", p.field());
            if (search.drawn() && !p.scale().equals(Search.CHOICE)) {
                q.putObject("range").put("lo", p.values().get(0)).put("hi", p.values().get(1)).put("scale", p.scale());
                continue;
            }
            ArrayNode vs = q.putArray("values");
            p.values().forEach(vs::add);
            if (!search.drawn()) {
                q.put("scale", p.scale());
            }
        }
        o.put("seeds", seeds);
        if (prune == null) {
            o.putNull("prune");
        } else {
            o.putObject("prune").put("margin", prune.margin()).put("minFinished", prune.minFinished());
        }
        search.write(o);
        return o;
    }

    /** Reads back what {@link #toJsonTree()} wrote: the same JSON a client may POST again (a re-run). */
    public static SweepDefinition fromStored(String json) {
        return parse(json);
    }

    public String toJson() {
        return toJsonTree().toString();
    }

    /** SHA-256 of the canonical JSON: the same definition on any machine names the same sweep. */
    public String hash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(toJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sweep id a cluster job uses when none is given: derived from the definition, so every pod agrees. */
    public String hashId() {
        return "h" + hash().substring(0, 15);
    }

    /** Small shared formatter (FieldSpec's is package-private). */
    static final class FieldSpecFmt {
        static String fmt(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
