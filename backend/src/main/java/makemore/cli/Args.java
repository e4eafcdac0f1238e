package makemore.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import makemore.config.RunConfig;

/** --name value pairs and bare --flags, consumed as they are read so leftovers can be reported. */
public final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    public static Args parse(String[] argv) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (!k.startsWith("--") || k.length() == 2) {
                throw new Cli.UsageException("unexpected argument '" + k + "' (options look like --name value)");
            }
            String name = k.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                a.values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                a.values.put(name, argv[++i]);
            } else {
                a.values.put(name, null);
            }
        }
        return a;
    }

    public String take(String name) {
        if (values.containsKey(name) && values.get(name) == null) {
            throw new Cli.UsageException("--" + name + " needs a value");
        }
        return values.remove(name);
    }

    public boolean flag(String name) {
        if (!values.containsKey(name)) {
            return false;
        }
        if (values.remove(name) != null) {
            throw new Cli.UsageException("--" + name + " takes no value");
        }
        return true;
    }

    public int intValue(String name, int dflt, int lo, int hi) {
        String v = take(name);
        try {
            int x = v == null ? dflt : Integer.parseInt(v);
            if (x < lo || x > hi) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new Cli.UsageException("--" + name + " must be an integer in [" + lo + ", " + hi + "], got " + v);
        }
    }

    public double doubleValue(String name, double dflt, double lo, double hi) {
        String v = take(name);
        try {
            double x = v == null ? dflt : Double.parseDouble(v);
            if (!(x >= lo && x <= hi)) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new Cli.UsageException("--" + name + " must be a number in [" + lo + ", " + hi + "], got " + v);
        }
    }

    public void requireEmpty() {
        if (!values.isEmpty()) {
            throw new Cli.UsageException("unknown option --" + values.keySet().iterator().next()
                    + "; config fields: " + String.join(", ", RunConfig.fieldNames()));
        }
    }
}
