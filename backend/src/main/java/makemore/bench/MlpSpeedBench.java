package makemore.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import makemore.cli.Cli;
import makemore.config.Recipes;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.train.Trainer;

/**
 * The lecture MLP's steps/s against PyTorch eager, both sides timing the same loop: {@code --only mlp-speed}.
 *
 * <p>In this process, a training loop as the lab's trainer runs it (learning-rate schedule, batch draw and step, the
 * loss read back at every progress point); beside it {@code bench/python/mlp_loop.py}, the same loop in PyTorch eager
 * in its own process. Same recipe, init and seed number (not the same random numbers), the same warm-up; then the two
 * time chunks of steps in turn, each side waiting while the other runs, so a pair's halves are seconds apart on a
 * machine whose load moves. The headline is the median of the pairs' ratios. Then whole processes in turn: {@code ./lab train} against the harness with its final
 * evaluation and samples, start-up included. The MKL shim ({@code ./lab}'s LD_PRELOAD) is inherited by every child
 * process, so both sides run with it or without it; each side says whether it is loaded and whether its BLAS is MKL,
 * the only library it acts on.
 */
final class MlpSpeedBench {
    private MlpSpeedBench() {}

    static final String HARNESS = "bench/python/mlp_loop.py";
    static final int WARMUP = 2000;

    static void run(Corpus corpus, String dataset, int steps, int runs, String python, String ref, PrintStream out,
            Map<String, Object> result) throws IOException {
        Path harness = Path.of(HARNESS);
        if (!Files.isRegularFile(harness)) {
            throw new IOException(HARNESS + " not found: run ./lab bench from the repository root");
        }
        Path data = dataset.equals("names") ? Bench.extractNames() : Path.of(dataset);
        RunConfig cfg = Models.validate(RunConfig.fromJson(Recipes.LECTURE).with("dataset", dataset)
                .with("steps", WARMUP + runs * steps).with("evalEvery", WARMUP + runs * steps).with("sampleEvery", 0));
        int every = Trainer.progressEvery(cfg);
        out.printf(Locale.ROOT, "mlp speed: lecture recipe (batch 32), %d warm-up steps a side, then %d pairs of %d"
                + " timed steps a side in turn, loss read back every %d steps; load average %s%n", WARMUP, runs, steps,
                every, loadAverage());
        double[] lab = new double[runs];
        double[] py = new double[runs];
        double[] anchor = new double[runs];
        JsonNode last;
        // both sides stay up and train on: a pair is a lab chunk then a PyTorch chunk, seconds apart
        Process p = child(List.of(python, harness.toString(), "--data", data.toString(), "--steps",
                String.valueOf(steps), "--warmup", String.valueOf(WARMUP), "--every", String.valueOf(every),
                "--chunks", String.valueOf(runs))).start();
        try (LanguageModel model = Models.create(cfg, corpus);
                BufferedReader from = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                java.io.Writer to = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            double sink = loop(model, cfg, 0, WARMUP, every);
            line(from, "READY", p);
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                sink += loop(model, cfg, WARMUP + i * steps, WARMUP + (i + 1) * steps, every);
                lab[i] = steps / ((System.nanoTime() - t0) / 1e9);
                to.write("go\n");
                to.flush();
                py[i] = steps / Double.parseDouble(line(from, "CHUNK ", p));
                anchor[i] = ref == null ? Double.NaN : refStepsPerSec(ref, dataset, steps, out);
                out.printf(Locale.ROOT, "pair %d/%d: lab %.0f steps/s, pytorch eager %.0f steps/s: %.2fx%s | load %s%n",
                        i + 1, runs, lab[i], py[i], lab[i] / py[i], ref == null ? "" : String.format(Locale.ROOT,
                                " | ref_mlp.py (its own timing) %.0f steps/s: %.2fx", anchor[i], lab[i] / anchor[i]),
                        loadAverage());
            }
            if (!Double.isFinite(sink)) {
                throw new IllegalStateException("the lab's loss is not finite: " + sink);
            }
            last = Cli.JSON.readTree(line(from, "RESULT ", p));
        }
        if (waitFor(p) != 0) {
            throw new IOException(HARNESS + " exited with " + p.exitValue());
        }
        double ratio = median(ratios(lab, py));
        String sides = sides(last, BlasProbe.describe()); // after a model ran: libtorch is loaded by then
        out.printf(Locale.ROOT, "mlp steps/s, same loop on both sides, %d interleaved pairs: lab/pytorch eager = %.2fx"
                + " (median of the pairs' ratios; medians lab %.0f, pytorch %.0f)%s | %s%n", runs, ratio, median(lab),
                median(py), ref == null ? "" : String.format(Locale.ROOT, "; against ref_mlp.py's own timing %.2fx",
                        median(ratios(lab, anchor))), sides);
        Map<String, Object> speed = new LinkedHashMap<>();
        speed.put("pairs", runs);
        speed.put("steps", steps);
        speed.put("warmup", WARMUP);
        speed.put("labStepsPerSec", median(lab));
        speed.put("pytorchStepsPerSec", median(py));
        speed.put("ratio", ratio);
        if (ref != null) {
            speed.put("ratioToRefMlp", median(ratios(lab, anchor)));
        }
        speed.put("sides", sides);
        double[] whole = wholeProcesses(python, harness, data, dataset, steps, every, runs, out);
        speed.put("wholeProcessRatio", whole[0]);
        out.printf(Locale.ROOT, "whole processes (./lab train vs the harness with its final evaluation and samples,"
                + " %d steps, start-up included), %d interleaved pairs: pytorch wall / lab wall = %.2fx (medians %.1f s"
                + " vs %.1f s) | %s%n", steps, runs, whole[0], whole[1], whole[2], sides);
        result.put("mlpSpeed", speed);
    }

    private static double loop(LanguageModel model, RunConfig cfg, int from, int to, int every) {
        double sink = 0;
        for (int step = from; step < to; step++) {
            model.step(cfg.scheduledLr(cfg.lr(), step));
            if ((step + 1) % every == 0) {
                sink += model.drainLoss();
            }
        }
        return sink;
    }

    /** The rest of the next line of {@code from} that starts with {@code prefix} (other lines are skipped). */
    private static String line(BufferedReader from, String prefix, Process p) throws IOException {
        StringBuilder skipped = new StringBuilder();
        for (String l; (l = from.readLine()) != null; ) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).strip();
            }
            skipped.append(l).append('\n');
        }
        p.destroy();
        throw new IOException(HARNESS + " ended before '" + prefix.strip() + "' (is python3-torch installed? see"
                + " ../shared/bench/README.md):\n" + skipped);
    }

    private static double refStepsPerSec(String ref, String dataset, int steps, PrintStream out) throws IOException {
        JsonNode r = Bench.reference(ref, dataset, steps, out);
        if (r == null) {
            throw new IOException("the reference " + ref + " failed");
        }
        return r.path("steps_per_sec").asDouble();
    }

    /** {pytorch wall / lab wall (median of pairs), lab median s, pytorch median s}. */
    private static double[] wholeProcesses(String python, Path harness, Path data, String dataset, int steps,
            int every, int runs, PrintStream out) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar;
        try {
            jar = new File(MlpSpeedBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> lab = List.of(java, "-Xmx2g", "-Dai.djl.offline=true", "-jar", jar, "train", "--quiet",
                "--config", Recipes.LECTURE, "--dataset", dataset, "--steps", String.valueOf(steps), "--evalEvery",
                String.valueOf(steps), "--sampleEvery", "0");
        List<String> py = List.of(python, harness.toString(), "--data", data.toString(), "--steps",
                String.valueOf(steps), "--warmup", "0", "--every", String.valueOf(every), "--whole");
        double[] l = new double[runs];
        double[] p = new double[runs];
        for (int i = 0; i < runs; i++) {
            l[i] = wall(lab);
            p[i] = wall(py);
            out.printf(Locale.ROOT, "whole pair %d/%d: lab %.2f s, pytorch %.2f s: %.2fx | load %s%n", i + 1, runs, l[i],
                    p[i], p[i] / l[i], loadAverage());
        }
        return new double[] {median(ratios(p, l)), median(l), median(p)};
    }

    private static double wall(List<String> command) throws IOException {
        ProcessBuilder pb = child(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int code = waitFor(p);
        double s = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + code);
        }
        return s;
    }

    /** One thread everywhere; the environment (LD_PRELOAD included) is otherwise this process's. */
    private static ProcessBuilder child(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.redirectErrorStream(true);
        return pb;
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IOException("interrupted");
        }
    }

    /** Versions, BLAS, threads and the shim's state of both sides, printed beside every ratio. */
    static String sides(JsonNode py, String labBlas) {
        JsonNode blas = py.path("blas");
        return String.format(Locale.ROOT, "lab: libtorch %s, %d thread(s), BLAS %s, MKL shim %s | pytorch: torch %s"
                + " (python %s), %d thread(s), BLAS %s %s, MKL shim %s", Engine.getEngine("PyTorch").getVersion(),
                JniUtils.getNumThreads(), labBlas, shimMapped() ? "loaded" : "not loaded", py.path("torch").asText(),
                py.path("python").asText(), py.path("threads").asInt(), blas.path("torch_config_blas_info").asText(),
                blas.path("mapped").toString(), py.path("mkl_amd_shim_mapped").asBoolean()
                        ? "loaded" + (blas.path("mkl").asBoolean() ? "" : " (no effect: no MKL)") : "not loaded");
    }

    private static boolean shimMapped() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.contains("mkl-amd"));
        } catch (IOException e) {
            return false;
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
