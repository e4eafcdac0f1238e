package makemore.bench;

import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.lab.TrainingRun;
import makemore.model.MachineSpeed;
import makemore.model.Models;
import makemore.model.RunEstimate;
import makemore.model.tensor.Tensors;
import makemore.train.TrainResult;

/**
 * {@code ./lab bench --only speed}: the constants of {@link MachineSpeed} measured on this machine (each kind of
 * work timed alone), then the run-time estimate checked against real short runs of the MLP and the transformer at
 * two sizes each (and the other trained models once), estimated with the stored constants.
 */
final class SpeedBench {
    private SpeedBench() {}

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** Configs to check the estimate on: small and large of the MLP and the transformer, the rest at defaults. */
    static final List<String> CHECKS = List.of(
            "{\"model\":\"mlp\",\"steps\":20000,\"evalEvery\":5000}",
            "{\"model\":\"mlp\",\"hidden\":1024,\"embDim\":64,\"context\":8,\"batch\":512,\"steps\":100,"
                    + "\"evalEvery\":50}",
            "{\"model\":\"transformer\",\"steps\":300,\"evalEvery\":150}",
            "{\"model\":\"transformer\",\"embDim\":128,\"layers\":2,\"batch\":128,\"steps\":60,\"evalEvery\":30}",
            "{\"model\":\"mlp\",\"batchnorm\":true,\"steps\":3000,\"evalEvery\":1500}",
            "{\"model\":\"wavenet\",\"steps\":2000,\"evalEvery\":1000}",
            "{\"model\":\"gru\",\"steps\":300,\"evalEvery\":150}",
            "{\"model\":\"neural\",\"steps\":200,\"evalEvery\":100}");

    static int run(Corpus corpus, String dataset, PrintStream out) {
        MachineSpeed now = calibrate(out);
        out.printf(Locale.ROOT, "measured: new MachineSpeed(%.3fe9, %.3fe9, %.3fe-6); the estimates below use the"
                + " stored %s%n", now.macsPerSecond() / 1e9, now.elemsPerSecond() / 1e9, now.secondsPerCall() * 1e6,
                MachineSpeed.THIS_MACHINE);
        // thread CPU time, not wall: the estimate is for a machine whose cores are not shared with other work
        out.println("| config | est. steps | est. evaluations | est. run | meas. run (CPU) | meas. wall | meas./est. |");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String json : CHECKS) {
            RunConfig cfg = Models.validate(RunConfig.fromJson(json).with("dataset", dataset).with("sampleEvery", 0));
            RunEstimate e = Models.estimate(cfg, corpus);
            long cpu0 = CPU.getCurrentThreadCpuTime();
            TrainResult r = TrainingRun.of(cfg, corpus).run();
            double cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9;
            out.printf(Locale.ROOT, "| `%s` | %,d x %s | %d x %s | %s | %s | %s | %.2f |%n", json, e.steps(),
                    d(e.stepSeconds()), e.evaluations(), d(e.evalSeconds()), d(e.seconds()), d(cpu), d(r.seconds()),
                    cpu / e.seconds());
        }
        return 0;
    }

    /** Each unit alone, best of five timings: one thread, as the lab trains. */
    static MachineSpeed calibrate(PrintStream out) {
        try (PtNDManager m = Tensors.newManager()) { // loads the engine before any direct native call
            Tensors.noAutograd();
            Random rng = new Random(1);
            // products of the sizes the models multiply: a batch of 256 rows through a 512-wide layer
            PtNDArray a = Tensors.gaussian(m, rng, 1, 256, 512);
            PtNDArray w = Tensors.gaussian(m, rng, 1, 512, 512);
            double macs = 256.0 * 512 * 512 / best(() -> Tensors.matmul(a, w), 50);
            // element-wise: a mix of the cheap (add), the transcendental (tanh, exp) over 1M floats
            PtNDArray x = Tensors.gaussian(m, rng, 1, 1 << 20);
            double elems = 3.0 * (1 << 20) / best(() -> {
                JniUtils.add(x, x);
                JniUtils.tanh(x);
                return JniUtils.exp(x);
            }, 20);
            // a native call on almost nothing: the fixed cost every kernel pays
            PtNDArray one = Tensors.gaussian(m, rng, 1, 1);
            double call = best(() -> JniUtils.add(one, one), 20000);
            out.printf(Locale.ROOT, "matmul 256x512x512: %.2f GMAC/s; element-wise: %.0f M/s; one call: %.2f us%n",
                    macs / 1e9, elems / 1e6, call * 1e6);
            return new MachineSpeed(macs, elems, call);
        }
    }

    /** CPU seconds per call of {@code op} on this thread: the best of five rounds of {@code reps} calls. */
    private static double best(Supplier<PtNDArray> op, int reps) {
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 6; round++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            try (NDScope scope = new NDScope()) {
                for (int i = 0; i < reps; i++) {
                    op.get();
                }
            }
            double s = (CPU.getCurrentThreadCpuTime() - t0) / 1e9 / reps;
            if (round > 0) { // the first round warms up
                best = Math.min(best, s);
            }
        }
        return best;
    }

    private static String d(double seconds) {
        return RunEstimate.duration(seconds);
    }
}
