package makemore.bench;

import makemore.lab.TrainingRun;
import makemore.cli.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import makemore.data.Corpus;
import makemore.model.Models;
import makemore.config.RunConfig;
import makemore.event.RunEvent;

/**
 * The transformer against makemore.py ({@code ./lab bench --transformer --makemore PATH}): steps/s of both at
 * makemore.py's config (n_layer 4, n_head 4, n_embd 64, batch 32, AdamW), one thread each, in pairs of fresh
 * processes run in turn (which side starts alternates), so both see the same machine and neither is warmed by an
 * earlier run. Both time the same loop after the same warm-up: the batch drawn off the clock, then the step and a
 * loss read-back every 10th step ({@link TransformerLoop} here, makemore_loop.py, which imports makemore.py
 * unchanged, there). Reported: the median over pairs of each pair's ratio, for the timed loop and for the whole
 * process (start-up and set-up included), with versions, BLAS, threads and the MKL shim beside them. And the
 * time the lab's 10-minute recipe takes to reach dev <= 1.90 ({@code ./lab bench --transformer-dev}).
 */
final class TransformerBench {
    private TransformerBench() {}

    private record Side(double stepsPerSec, double medianMs, double wallSec, JsonNode info) {}

    static int speed(String makemore, int runs, int steps, PrintStream out) throws IOException {
        int warm = 30;
        Path data = Bench.extractNames();
        Path loop = Files.createTempFile("makemore_loop", ".py");
        loop.toFile().deleteOnExit();
        try (var in = TransformerBench.class.getResourceAsStream("makemore_loop.py")) {
            Files.write(loop, in.readAllBytes());
        }
        out.printf(Locale.ROOT, "transformer at makemore.py's config (n_layer 4, n_head 4, n_embd 64, batch 32, AdamW"
                + " 5e-4, wd 0.01): %d pairs of fresh processes, each %d warm-up + %d timed steps; load average %s%n",
                runs, warm, steps, loadAverage());
        List<Double> loopRatios = new ArrayList<>();
        List<Double> wallRatios = new ArrayList<>();
        List<Double> labRates = new ArrayList<>();
        Side lab = null;
        Side ref = null;
        for (int run = 0; run < runs; run++) {
            boolean labFirst = run % 2 == 0;
            List<String> labCmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx2g", "-cp",
                    System.getProperty("java.class.path"), TransformerLoop.class.getName(), String.valueOf(warm),
                    String.valueOf(steps), String.valueOf(42 + run));
            List<String> refCmd = makemore == null ? null : List.of("/usr/bin/python3", loop.toString(), makemore,
                    data.toString(), String.valueOf(warm), String.valueOf(steps), String.valueOf(3407 + run), "1");
            if (labFirst || refCmd == null) {
                lab = side(labCmd);
                ref = refCmd == null ? null : side(refCmd);
            } else {
                ref = side(refCmd);
                lab = side(labCmd);
            }
            if (lab == null || refCmd != null && ref == null) {
                out.println((lab == null ? "the lab's side" : "makemore.py's side") + " failed (its last lines are"
                        + " above); makemore.py needs python3-torch (apt-get install -y python3-torch"
                        + " libopenblas0-pthread)");
                return 1;
            }
            labRates.add(lab.stepsPerSec);
            String line = String.format(Locale.ROOT, "pair %d (%s first): lab %.1f steps/s (median step %.2f ms,"
                    + " process %.1f s)", run + 1, labFirst ? "lab" : "makemore.py", lab.stepsPerSec, lab.medianMs,
                    lab.wallSec);
            if (ref != null) {
                loopRatios.add(lab.stepsPerSec / ref.stepsPerSec);
                wallRatios.add(ref.wallSec / lab.wallSec);
                line += String.format(Locale.ROOT, " | makemore.py %.1f steps/s (median step %.2f ms, process %.1f s)"
                        + " | ratio %.2fx, whole process %.2fx", ref.stepsPerSec, ref.medianMs, ref.wallSec,
                        loopRatios.get(run), wallRatios.get(run));
            }
            out.println(line);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("labStepsPerSec", labRates);
        out.printf(Locale.ROOT, "lab: libtorch %s, Java %s, BLAS %s, threads %s, MKL shim %s%n",
                lab.info.path("libtorch").asText(), lab.info.path("java").asText(), lab.info.path("blas").asText(),
                lab.info.path("threads").asText(), shim(lab.info));
        if (ref != null) {
            out.printf(Locale.ROOT, "makemore.py: torch %s, Python %s, BLAS %s %s, threads %s, MKL shim %s%n",
                    ref.info.path("torch").asText(), ref.info.path("python").asText(), ref.info.path("blas"),
                    ref.info.path("torchConfig"), ref.info.path("threads").asText(), shim(ref.info));
            out.printf(Locale.ROOT, "lab / makemore.py, median of %d pair ratios: timed loop %.2fx (pairs %.2f-%.2f),"
                    + " whole process %.2fx (pairs %.2f-%.2f); load average %s%n", runs, median(loopRatios),
                    Collections.min(loopRatios), Collections.max(loopRatios), median(wallRatios),
                    Collections.min(wallRatios), Collections.max(wallRatios), loadAverage());
            result.put("ratios", loopRatios);
            result.put("ratio", median(loopRatios));
            result.put("wholeProcessRatios", wallRatios);
            result.put("wholeProcessRatio", median(wallRatios));
            result.put("makemoreTorch", ref.info.path("torch").asText());
        }
        out.println(Cli.JSON.writeValueAsString(result));
        return 0;
    }

    /** One fresh process of either side: its RESULT, its BENCHINFO and its wall time from start to exit. */
    private static Side side(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        JsonNode info = null;
        JsonNode result = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("BENCHINFO ")) {
                    info = Cli.JSON.readTree(line.substring(10));
                } else if (line.startsWith("RESULT ")) {
                    result = Cli.JSON.readTree(line.substring(7));
                } else if (tail.add(line) && tail.size() > 10) {
                    tail.remove(0);
                }
            }
        }
        try {
            int rc = p.waitFor();
            if (rc != 0 || info == null || result == null) {
                System.err.println(String.join("\n", tail));
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        List<Double> ms = new ArrayList<>();
        result.path("stepMs").forEach(v -> ms.add(v.asDouble()));
        return new Side(result.path("stepsPerSec").asDouble(), median(ms), wall, info);
    }

    /** On or off, and which library, from the side's LD_PRELOAD (the shim changes MKL's kernels on AMD only). */
    private static String shim(JsonNode info) {
        String pre = info.path("ldPreload").asText();
        return pre.contains("mkl-amd") ? "on (" + pre + ")" : "off";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The lab's transformer recipe from scratch on names: dev at every evaluation with the wall time so far, and
     * the wall time of the first evaluation at or below {@code target}.
     */
    static int dev(String json, double target, PrintStream out) throws IOException {
        RunConfig cfg = Models.validate(RunConfig.fromJson(json == null ? RECIPE : json));
        Corpus corpus = new Corpus(Cli.dataset(cfg.dataset()));
        Models.checkFits(cfg, corpus);
        out.println("recipe: " + cfg.toJson());
        long t0 = System.nanoTime();
        double[] reached = {Double.NaN};
        double[] train = {Double.NaN};
        var r = train(cfg, corpus, e -> {
            if (e instanceof RunEvent.Eval ev && ev.split().equals("train")) {
                train[0] = ev.loss();
            }
            if (e instanceof RunEvent.Eval ev && ev.split().equals("dev")) {
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "step %d: train %.4f, dev %.4f at %.0f s%n", ev.step(), train[0], ev.loss(), s);
                if (Double.isNaN(reached[0]) && ev.loss() <= target) {
                    reached[0] = s;
                }
            }
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "%s: train %.4f, dev %.4f after %d steps, %.0f s wall (%.1f steps/s training); dev <= %s"
                + " first at %s%n", r.status().label(), r.train(), r.dev(), r.steps(), wall, r.stepsPerSec(), target,
                Double.isNaN(reached[0]) ? "never" : String.format(Locale.ROOT, "%.0f s", reached[0]));
        return 0;
    }

    /** The dev recipe: {@code ./lab train --recipe transformer-10min}, its config and history in Recipes. */
    static final String RECIPE = makemore.config.Recipes.TRANSFORMER_10MIN;

    private static makemore.train.TrainResult train(RunConfig cfg, Corpus corpus,
            java.util.function.Consumer<RunEvent> listener) {
        return TrainingRun.of(cfg, corpus).listener(listener).run();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

}
