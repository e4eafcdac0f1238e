package makemore.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.lab.TrainingRun;
import makemore.model.Models;
import makemore.model.RunEstimate;
import makemore.train.LrFinder;
import makemore.train.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./lab train}: one run in this process, on the same engine as the lab, with a progress bar on stderr. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Trains one run here and prints its losses and samples (exit 0 when it finished, 1 otherwise).",
            "Fields take the chosen model's defaults; see each field's range and default below."},
        footer = {"", "Example: ./lab train --model mlp --steps 5000 --lr 0.1 --json"})
final class TrainCommand implements Callable<Integer> {
    private final LabCli.Io io;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print one JSON object last: status, losses, every evaluation, samples")
    boolean json;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--save", paramLabel = "FILE",
            description = "when it finishes, write its parameters to FILE and its config to FILE.json (for sample)")
    Path save;

    TrainCommand(LabCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        RunConfig cfg = ConfigOptions.read(spec);
        Corpus corpus = new Corpus(Cli.dataset(cfg.dataset()));
        RunEstimate estimate = Models.checkFits(cfg, corpus);
        if (!quiet) {
            io.err().println("estimated: about " + RunEstimate.duration(estimate.seconds()) + " on this machine ("
                    + estimate.breakdown() + ")");
        }
        ProgressBar bar = new ProgressBar(cfg, quiet ? null : io.err());
        List<RunEvent.Eval> evals = new ArrayList<>();
        List<double[]> curve = new ArrayList<>(); // (lr, loss) at each progress point: the LR finder's reading
        TrainResult r = TrainingRun.of(cfg, corpus).listener(e -> {
            bar.accept(e);
            if (e instanceof RunEvent.Eval ev) {
                evals.add(ev);
            } else if (e instanceof RunEvent.Progress p) {
                curve.add(new double[] {p.lr(), p.trainLoss()});
            }
        }).atEnd((model, result) -> {
            if (save != null && result.status() == RunStatus.FINISHED) {
                try {
                    model.save(save);
                    Files.writeString(Path.of(save + ".json"), cfg.toJson());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot save to " + save + ": " + e.getMessage(), e);
                }
            }
        }).run();
        bar.done();
        if (!json) {
            io.out().printf("%s: %s%n", r.status().label(), r.message());
            if ("finder".equals(cfg.schedule())) {
                LrFinder.Analysis a = LrFinder.analyse(curve);
                io.out().println("suggested lr " + a.suggestion() + ": " + a.rule());
            }
            io.out().printf("train %.4f  dev %.4f  (%d steps in %.1f s, %.0f steps/s)%n", r.train(), r.dev(),
                    r.steps(), r.seconds(), r.stepsPerSec());
            for (RunEvent.Sample s : r.samples()) {
                io.out().println(s.seen() == null ? s.text() : s.text() + "  (in " + s.seen() + ")");
            }
        } else {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", cfg.model());
            o.put("status", r.status().label());
            o.put("steps", r.steps());
            if (Double.isFinite(r.train())) { // an LR finder stops without a whole-split evaluation
                o.put("train", r.train());
                o.put("dev", r.dev());
            }
            if ("finder".equals(cfg.schedule())) {
                LrFinder.Analysis a = LrFinder.analyse(curve);
                o.put("suggestedLr", a.suggestion());
                o.put("minLr", a.minLr());
                o.put("rule", a.rule());
            }
            o.put("seconds", r.seconds());
            o.put("stepsPerSec", r.stepsPerSec());
            o.put("evals", evals.stream().map(e -> Map.of("step", e.step(), "split", e.split(),
                    "loss", Cli.finite(e.loss()))).toList());
            o.put("samples", r.samples().stream().map(RunEvent.Sample::text).toList());
            if (r.status() != RunStatus.FINISHED) {
                o.put("message", r.message());
            }
            io.out().println(Cli.JSON.writeValueAsString(o));
        }
        return r.status() == RunStatus.FINISHED ? 0 : 1;
    }
}
