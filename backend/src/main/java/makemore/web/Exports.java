package makemore.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import makemore.lab.LabException;
import makemore.lab.RunService;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.config.ConfigException;

/**
 * Runs as a download, JSON or CSV, written one run at a time to the response: the answer never exists whole in
 * memory, and each run appears once however often it is asked for.
 */
final class Exports {
    private Exports() {}

    /** A CSV field: quoted when it holds a comma, quote or line break; empty for null. */
    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        return v.matches("(?s).*[,\"\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** The distinct ids of a comma-separated list, at most {@code max}. */
    static List<String> ids(String param, int max) {
        if (param == null || param.isBlank()) {
            throw new ConfigException("ids", "ids is required: run ids separated by commas");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String s : param.split(",", -1)) {
            String id = s.strip();
            if (!id.matches("[a-z0-9]{1,32}")) {
                throw new ConfigException("ids", "'" + LabServer.clip(id) + "' is not a run id");
            }
            ids.add(id);
            if (ids.size() > max) {
                throw new ConfigException("ids", "at most " + max + " runs can be exported at once");
            }
        }
        return new ArrayList<>(ids);
    }

    static void one(Context ctx, RunService runs, String id) throws IOException {
        write(ctx, runs, List.of(id), true);
    }

    static void write(Context ctx, RunService runs, List<String> ids, boolean single) throws IOException {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw new ConfigException("format", "format must be csv or json, got '" + LabServer.clip(format) + "'");
        }
        // every id must exist before the first byte goes out: a 404 cannot follow a 200
        for (String id : ids) {
            if (!runs.exists(id)) {
                throw LabException.notFound("no run " + id);
            }
        }
        String name = single ? "run-" + ids.get(0) : "runs";
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "." + format + "\"");
        if (format.equals("json")) {
            ctx.contentType("application/json");
            try (JsonGenerator g = RunStore.JSON.getFactory().createGenerator(ctx.outputStream())) {
                g.setCodec(RunStore.JSON);
                if (single) {
                    g.writeObject(runs.get(ids.get(0)));
                } else {
                    g.writeStartArray();
                    for (String id : ids) {
                        g.writeObject(runs.get(id));
                        g.flush();
                    }
                    g.writeEndArray();
                }
            }
            return;
        }
        ctx.contentType("text/csv; charset=utf-8");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
            w.write("run,step,series,value,lr,name\n");
            for (String id : ids) {
                RunRecord r = runs.get(id);
                String label = csv(r.name());
                for (RunRecord.Point p : r.progress()) {
                    w.write(r.id() + "," + p.step() + ",train_batch," + p.trainLoss() + "," + p.lr() + "," + label + "\n");
                    if (p.penalty() != null) {
                        w.write(r.id() + "," + p.step() + ",l2_penalty," + p.penalty() + ",," + label + "\n");
                    }
                }
                for (var e : r.evals()) {
                    w.write(r.id() + "," + e.step() + "," + e.split() + "," + e.loss() + ",," + label + "\n");
                }
                w.flush();
            }
        }
    }
}
