package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real processes for the sweep tests: workers of one sweep with no coordinator, as an Indexed Job's pods are. */
final class SweepJvms {
    private SweepJvms() {}

    /**
     * Three {@code ./lab sweep ARGS} JVMs started together, process i with {@code env.apply(i)} added; each must exit
     * 0 within {@code waitSeconds}. Returns their standard outputs.
     */
    static List<String> start(List<String> args, java.util.function.IntFunction<Map<String, String>> env,
            long waitSeconds) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Dai.djl.offline=true", "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), "makemore.App", "sweep"));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env.apply(i));
            pb.environment().put("OPT_OUT_TRACKING", "true");
            pb.environment().put("OMP_NUM_THREADS", "1");
            ps.add(pb.start());
        }
        List<String> outs = new ArrayList<>();
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(waitSeconds, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out + err);
            outs.add(out);
        }
        return outs;
    }
}
