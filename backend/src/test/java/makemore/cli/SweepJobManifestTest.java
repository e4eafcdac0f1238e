package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** deploy/k8s/sweep-job.yaml parsed as Kubernetes would read it: an Indexed Job whose pods each run one point. */
class SweepJobManifestTest {
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object o = node;
        for (String p : path) {
            o = o instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) o).get(p);
        }
        return (T) o;
    }

    @Test
    @SuppressWarnings("unchecked")
    void anIndexedJobWithOnePodPerPointAndThePasswordFromASecret() throws Exception {
        Map<String, Object> job = new Yaml().load(Files.readString(Path.of("../deploy/k8s/sweep-job.yaml")));
        assertEquals("batch/v1", job.get("apiVersion"));
        assertEquals("Job", job.get("kind"));
        assertEquals("Indexed", at(job, "spec", "completionMode"));
        assertTrue((Integer) at(job, "spec", "parallelism") >= 1);
        assertEquals("Never", at(job, "spec", "template", "spec", "restartPolicy"));
        Map<String, Object> c = at(job, "spec", "template", "spec", "containers", "0");
        List<String> cmd = ((List<Object>) c.get("command")).stream().map(Object::toString).toList();
        assertEquals(List.of("./lab", "sweep"), cmd.subList(0, 2));
        assertEquals("$(JOB_COMPLETION_INDEX)", cmd.get(cmd.indexOf("--index") + 1));
        String db = cmd.get(cmd.indexOf("--db") + 1);
        assertTrue(db.startsWith("jdbc:postgresql://"), db);
        assertFalse(String.join(" ", cmd).contains("password"), "no password on the command line");
        List<Map<String, Object>> env = (List<Map<String, Object>>) c.get("env");
        Map<String, Object> index = env.stream().filter(e -> e.get("name").equals("JOB_COMPLETION_INDEX")).findFirst()
                .orElseThrow();
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                at(index, "valueFrom", "fieldRef", "fieldPath"));
        Map<String, Object> pw = env.stream().filter(e -> e.get("name").equals("MAKEMORE_DB_PASSWORD")).findFirst()
                .orElseThrow();
        assertEquals("makemore-db", at(pw, "valueFrom", "secretKeyRef", "name"));
        assertEquals("password", at(pw, "valueFrom", "secretKeyRef", "key"));
        // completions must equal the sweep's points: ask the command itself (--plan touches no database)
        List<String> args = new ArrayList<>(cmd.subList(2, cmd.size()));
        int i = args.indexOf("--index");
        args.subList(i, i + 2).clear();
        int d = args.indexOf("--db");
        args.subList(d, d + 2).clear();
        args.add("--plan");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        args.add(0, "sweep");
        int code = CliAccess.run(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                args.toArray(String[]::new));
        assertEquals(0, code);
        var plan = Cli.JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals((int) (Integer) at(job, "spec", "completions"), plan.get("points").asInt());
        assertEquals("trigram-smoothing", plan.get("sweep").asText());
    }
}
