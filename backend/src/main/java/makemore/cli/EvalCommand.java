package makemore.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.data.Vocabulary;
import makemore.lab.Checkpoints;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.model.Sampler;
import makemore.store.RunRecord;
import makemore.store.ParamStore;
import makemore.store.RunStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./lab eval}: a trained model's NLL per token on any file, computed as the lab computes its dev loss. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores a trained model on a file of items: NLL per character, computed as the lab's dev.",
            "The mean counts every predicted character and each item's end; with --json the last line is"
                    + " {nll, tokens, items}."},
        footer = {"", "Examples:", "  ./lab split --data names --out /tmp/split",
            "  ./lab eval --model-file mlp.bin --data /tmp/split/dev.txt --json"})
final class EvalCommand implements Callable<Integer> {
    private final LabCli.Io io;

    static final class Source {
        @Option(names = "--run", paramLabel = "ID", description = "a run of the lab's database: its best-dev parameters")
        String run;

        @Option(names = "--model-file", paramLabel = "FILE", description = "a model saved by train --save FILE")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nThe model (one of):%n")
    Source source;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "the items to score, one a line")
    String data;

    @Mixin
    DbOption db; // with --run

    @Option(names = "--params-dir", paramLabel = "DIR", description = "with --run: where its parameters are (default:"
            + " the params folder of the lab on this database)")
    String paramsDir;

    @Option(names = "--json", description = "print {nll, tokens, items} as the last line")
    boolean json;

    EvalCommand(LabCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        RunConfig cfg;
        Path params;
        if (source.run != null) {
            String url = db.url(io.env());
            Path dir = Database.paramsDir(paramsDir, url, io.env());
            try (RunStore store = Database.open(url)) {
                RunRecord r = store.get(source.run).orElseThrow(() -> new LabCli.UsageException("no run "
                        + source.run + " in " + Database.redact(url)));
                cfg = r.config();
                if (Models.spec(cfg.model()).trainable()) { // trained elsewhere: the run database has its parameters
                    Checkpoints.fetch(new ParamStore(store), dir, source.run);
                }
            }
            params = Checkpoints.file(dir, source.run);
        } else {
            params = source.file;
            Path cfgFile = Path.of(params + ".json");
            if (!Files.exists(cfgFile)) {
                throw new IOException("no saved model at " + params + " (expected " + params + " and " + cfgFile + ")");
            }
            cfg = RunConfig.fromJson(Files.readString(cfgFile));
        }
        cfg = Models.validate(cfg);
        Corpus corpus = new Corpus(Cli.dataset(cfg.dataset()));
        List<String> items = Cli.dataset(data).words();
        refuseUnknown(corpus.vocab());
        boolean recount = !Files.exists(params) && !Models.spec(cfg.model()).trainable(); // counts: a function of the data
        if (!recount && !Files.exists(params)) {
            throw new IOException("no parameter file " + params + " for this run");
        }
        double[] total;
        try (LanguageModel model = recount ? Models.create(cfg, corpus) : Models.load(cfg, corpus, params)) {
            total = Sampler.totalNll(model, items);
        } catch (IllegalArgumentException e) {
            throw new LabCli.UsageException(data + ": " + e.getMessage());
        }
        double nll = total[0] / total[1];
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("nll", Cli.finite(nll));
            o.put("tokens", (long) total[1]);
            o.put("items", items.size());
            io.out().println(Cli.JSON.writeValueAsString(o));
        } else {
            io.out().printf(java.util.Locale.ROOT, "nll %.6f per token over %d tokens (%d items of %s)%n", nll,
                    (long) total[1], items.size(), data);
        }
        return 0;
    }

    /** The first line with a character the model has never seen is a usage error naming both. */
    private void refuseUnknown(Vocabulary vocab) throws IOException {
        if (data.equals("names")) {
            return;
        }
        String[] lines = new String(Files.readAllBytes(Path.of(data)), StandardCharsets.UTF_8).split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String w = lines[i].strip();
            int[] ids = vocab.encode(w);
            int[] cps = w.codePoints().toArray();
            for (int k = 0; k < ids.length; k++) {
                if (ids[k] < 0) {
                    throw new LabCli.UsageException(data + " line " + (i + 1) + " has '"
                            + new String(Character.toChars(cps[k])) + "', which is not a character of the model's"
                            + " dataset");
                }
            }
        }
    }
}
