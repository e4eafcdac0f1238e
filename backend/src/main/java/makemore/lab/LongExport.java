package makemore.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.config.RunConfig;
import makemore.event.RunEvent;

/**
 * Runs as one long table, one row per (run, step, split): run, name, sweep, every config field, step, split, loss,
 * lr_at_step (the learning rate in effect at a train_batch point; the config's {@code lr} column is the base rate, so
 * every column name is unique and a swept lr reads on every row). Split is {@code train_batch} (the mean minibatch loss since the previous point, with its lr), {@code train}
 * and {@code dev} (whole-split NLL at an evaluation) or {@code test} (the one test score). The CSV opens in pandas
 * as is: a header, RFC 4180 quoting, empty cells for missing values, {@code inf} for an infinite NLL.
 */
public final class LongExport {
    private LongExport() {}

    /** Config columns: every field a config may have except lrChanges (their effect shows in the lr column). */
    public static List<String> configColumns() {
        return RunConfig.fieldNames().stream().filter(f -> !f.equals("lrChanges")).toList();
    }

    public static List<String> columns() {
        List<String> c = new ArrayList<>(List.of("run", "name", "sweep"));
        c.addAll(configColumns());
        c.addAll(List.of("step", "split", "loss", "lr_at_step"));
        return c;
    }

    /** The rows as maps (JSON export: an array of these); {@code sweepOf} maps a run to its sweep or null. */
    public static List<Map<String, Object>> rows(List<RunRecord> runs, Map<String, String> sweepOf) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunRecord r : runs) {
            JsonNode cfg = RunStore.JSON.valueToTree(r.config());
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("run", r.id());
            head.put("name", r.name() == null ? "" : r.name());
            head.put("sweep", sweepOf.get(r.id()));
            for (String f : configColumns()) {
                JsonNode v = cfg.get(f);
                head.put(f, v == null || v.isNull() ? null : v.isNumber() ? v.numberValue() : v.isBoolean()
                        ? v.booleanValue() : v.asText());
            }
            for (RunRecord.Point p : r.progress()) {
                out.add(row(head, p.step(), "train_batch", p.trainLoss(), p.lr()));
            }
            for (RunEvent.Eval e : r.evals()) {
                out.add(row(head, e.step(), e.split(), e.loss(), null));
            }
            if (r.test() != null) {
                out.add(row(head, r.step(), "test", r.test().loss(), null));
            }
        }
        return out;
    }

    private static Map<String, Object> row(Map<String, Object> head, long step, String split, double loss, Double lr) {
        Map<String, Object> m = new LinkedHashMap<>(head);
        m.put("step", step);
        m.put("split", split);
        m.put("loss", loss);
        m.put("lr_at_step", lr);
        return m;
    }

    public static String csv(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        List<String> cols = columns();
        sb.append(String.join(",", cols)).append('\n');
        for (Map<String, Object> r : rows) {
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(cell(r.get(cols.get(i))));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d.isNaN() ? "" : d.isInfinite() ? (d > 0 ? "inf" : "-inf") : Double.toString(d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString().toLowerCase(Locale.ROOT);
        }
        String s = v.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s; // a spreadsheet would run it as a formula (OWASP CSV injection): make it text
        }
        if (s.isEmpty() || s.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
