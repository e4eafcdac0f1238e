package makemore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import makemore.config.Limits;
import makemore.data.Corpus;
import makemore.lab.TrainingRun;
import makemore.data.Dataset;
import makemore.data.DatasetException;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.train.TrainResult;

/** Headless commands on the same engine as the server: train, sample, sweep. */
public final class Cli {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {}

    /** Runs a command; returns the process exit code (0 ok, 1 the run did not finish, 2 bad usage). */
    public static int run(String cmd, String[] args) {
        return guarded(() -> switch (cmd) {
                case "train" -> train(Args.parse(args), System.out, System.err);
                case "sample" -> sample(Args.parse(args), System.out);
                case "sweep" -> SweepCommand.run(args, System.getenv(), System.out, System.err);
                default -> throw new UsageException("unknown command " + cmd);
            });
    }

    /** A command body that may throw. */
    public interface Command {
        int run() throws IOException;
    }

    /** Runs a command, turning config and usage errors into exit 2 with one line, I/O errors into exit 1. */
    public static int guarded(Command command) {
        try {
            return command.run();
        } catch (ConfigException e) {
            System.err.println("error: " + e.field() + ": " + e.getMessage());
            return 2;
        } catch (UsageException | DatasetException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** The config from --config JSON, then one flag per field on top (--lr 0.05 --model mlp ...). */
    public static RunConfig config(Args a) {
        ObjectNode node;
        try {
            String base = a.take("config");
            node = base == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(base);
        } catch (IOException | ClassCastException e) {
            throw new ConfigException("config", "--config must be a JSON object: " + e.getMessage());
        }
        for (String field : RunConfig.fieldNames()) {
            String v = a.take(field);
            if (v != null) {
                node.set(field, scalar(v));
            }
        }
        String data = a.take("data");
        if (data != null) {
            node.put("dataset", data);
        }
        return Models.validate(RunConfig.fromJson(node.toString()));
    }

    private static com.fasterxml.jackson.databind.JsonNode scalar(String v) {
        try {
            return JSON.readTree(v).isValueNode() ? JSON.readTree(v) : JSON.getNodeFactory().textNode(v);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(v);
        }
    }

    /** "names" is the built-in list; anything else is a path to a text file with one item per line. */
    public static Dataset dataset(String name) {
        return name.equals("names") ? Dataset.builtinNames() : Dataset.load(Path.of(name));
    }

    static int train(Args a, PrintStream out, PrintStream err) throws IOException {
        boolean json = a.flag("json");
        boolean quiet = a.flag("quiet");
        String save = a.take("save");
        RunConfig cfg = config(a);
        a.requireEmpty();
        Corpus corpus = new Corpus(dataset(cfg.dataset()));
        Models.checkFits(cfg, corpus);
        ProgressBar bar = new ProgressBar(cfg, quiet ? null : err);
        TrainResult r = TrainingRun.of(cfg, corpus).listener(bar).atEnd((model, result) -> {
            if (save != null && result.status() == RunStatus.FINISHED) {
                try {
                    model.save(Path.of(save));
                    Files.writeString(Path.of(save + ".json"), cfg.toJson());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }).run();
        bar.done();
        if (!json) {
            out.printf("%s: %s%n", r.status().label(), r.message());
            out.printf("train %.4f  dev %.4f  (%d steps in %.1f s, %.0f steps/s)%n", r.train(), r.dev(), r.steps(),
                    r.seconds(), r.stepsPerSec());
            for (RunEvent.Sample s : r.samples()) {
                out.println(s.seen() == null ? s.text() : s.text() + "  (in " + s.seen() + ")");
            }
        } else {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", cfg.model());
            o.put("status", r.status().label());
            o.put("steps", r.steps());
            o.put("train", finite(r.train()));
            o.put("dev", finite(r.dev()));
            o.put("seconds", r.seconds());
            o.put("stepsPerSec", r.stepsPerSec());
            o.put("samples", r.samples().stream().map(RunEvent.Sample::text).toList());
            if (r.status() != RunStatus.FINISHED) {
                o.put("message", r.message());
            }
            out.println(JSON.writeValueAsString(o));
        }
        return r.status() == RunStatus.FINISHED ? 0 : 1;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : Double.toString(v);
    }

    static int sample(Args a, PrintStream out) throws IOException {
        String file = a.take("model-file");
        if (file == null) {
            throw new UsageException("sample needs --model-file FILE (written by train --save FILE)");
        }
        int n = a.intValue("n", 20, 1, 10_000);
        double temperature = a.doubleValue("temperature", 1.0, Limits.TEMPERATURE.min(), Limits.TEMPERATURE.max());
        long seed = a.intValue("seed", 1, 0, Integer.MAX_VALUE);
        a.requireEmpty();
        Path cfgFile = Path.of(file + ".json");
        if (!Files.exists(cfgFile) || !Files.exists(Path.of(file))) {
            throw new UsageException("no saved model at " + file + " (expected " + file + " and " + cfgFile + ")");
        }
        RunConfig cfg = Models.validate(RunConfig.fromJson(Files.readString(cfgFile)));
        Corpus corpus = new Corpus(dataset(cfg.dataset()));
        try (LanguageModel model = Models.load(cfg, corpus, Path.of(file))) {
            for (String s : model.sample(n, temperature, new Random(seed))) {
                Corpus.Part seen = corpus.seenIn(s);
                out.println(seen == null ? s : s + "  (in " + seen.label() + ")");
            }
        }
        return 0;
    }

    public static final class UsageException extends RuntimeException {
        public UsageException(String m) {
            super(m);
        }
    }
}
