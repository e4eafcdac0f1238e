package makemore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * {@code ./lab sweep}'s flags as the sweep JSON the lab takes ({@link makemore.sweep.SweepDefinition}), so both are
 * validated by the same code: a bad value is the same error on the page (400) and here (exit 2).
 */
final class SweepFlags {
    private SweepFlags() {}

    static ObjectNode values(String name, String list) {
        ObjectNode p = Cli.JSON.createObjectNode().put("field", name);
        ArrayNode vs = p.putArray("values");
        for (String v : list.split(",")) {
            vs.add(number(v, "--param " + name + " --values"));
        }
        return p;
    }

    /** lo:hi:n[:lin|log] for a grid; lo:hi[:lin|log] when trials are drawn (random, asha). */
    static ObjectNode range(String name, String spec, boolean drawn) {
        ObjectNode p = Cli.JSON.createObjectNode().put("field", name);
        String[] parts = spec.split(":");
        boolean scaled = parts.length > 0 && parts[parts.length - 1].matches("lin|log");
        int numbers = parts.length - (scaled ? 1 : 0);
        if (numbers != (drawn ? 2 : 3) || parts.length > 4) {
            throw new LabCli.UsageException("--param " + name + " --range must be " + (drawn
                    ? "lo:hi or lo:hi:log with --search random or asha (trials are drawn, not counted)"
                    : "lo:hi:n or lo:hi:n:log") + ", got '" + spec + "'");
        }
        ObjectNode r = p.putObject("range");
        r.set("lo", number(parts[0], "--range lo"));
        r.set("hi", number(parts[1], "--range hi"));
        if (!drawn) {
            r.set("points", number(parts[2], "--range n"));
        }
        r.put("scale", scaled ? parts[parts.length - 1] : "lin");
        return p;
    }

    /** The search object, or null for a grid given no search flags (its JSON, and hash, as before). */
    static ObjectNode search(String kind, Integer trials, Integer eta, Integer minSteps, Integer cooldown) {
        String k = kind == null ? "grid" : kind;
        if (!k.equals("asha") && (eta != null || minSteps != null || cooldown != null)) {
            throw new LabCli.UsageException((eta != null ? "--eta" : minSteps != null ? "--min-steps"
                    : "--rung-cooldown") + " is for --search asha");
        }
        if (k.equals("grid")) {
            if (trials != null) {
                throw new LabCli.UsageException("--trials is for --search random or asha; a grid runs every point");
            }
            return null;
        }
        if (trials == null) {
            throw new LabCli.UsageException("--search " + k + " needs --trials N");
        }
        ObjectNode s = Cli.JSON.createObjectNode().put("kind", k).put("trials", trials);
        if (eta != null) {
            s.put("eta", eta);
        }
        if (minSteps != null) {
            s.put("minSteps", minSteps);
        }
        if (cooldown != null) {
            s.put("cooldown", cooldown);
        }
        return s;
    }

    static JsonNode number(String v, String what) {
        try {
            JsonNode n = Cli.JSON.readTree(v.strip());
            if (n != null && n.isNumber()) {
                return n;
            }
        } catch (IOException ignored) {
            // reported below
        }
        throw new LabCli.UsageException(what + " must be numbers, got '" + v + "'");
    }
}
