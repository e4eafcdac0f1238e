package makemore.web;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lab as its own JVM over a folder, as the {@code lab} script starts it, for tests that kill it or weigh it. */
record LabProcess(Process process, int port) {
    /** Starts the lab on a free port with its database and data in {@code dir}; {@code heap} is an -Xmx flag. */
    static LabProcess start(Path dir, String heap) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "makemore.App",
                "--port", "0", "--db", dir.resolve("lab.db").toString(), "--data-dir", dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern url = Pattern.compile("Makemore Lab: http://127\\.0\\.0\\.1:(\\d+)/");
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = url.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain");
                drain.setDaemon(true);
                drain.start();
                return new LabProcess(p, Integer.parseInt(m.group(1)));
            }
        }
        throw new AssertionError("the lab did not start; exit " + p.waitFor());
    }
}
