package makemore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import makemore.cli.LabCli;
import org.junit.jupiter.api.Test;

/** Every ./lab command in the README's code blocks parses: run with --help appended, it exits 0. */
class ReadmeCommandsTest {

    @Test
    void everyReadmeExampleParses() throws Exception {
        Path readme = Path.of("../README.md");
        assertTrue(Files.exists(readme), "the test runs from backend/ and reads ../README.md");
        List<List<String>> commands = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock || !line.contains("./lab")) {
                continue;
            }
            String code = line.replaceAll("\\s+#.*$", "").replace("source <(", "").replace(")", " ");
            for (String part : code.split("&&")) {
                List<String> words = words(part.replaceAll("[|>].*$", "").strip());
                int at = words.indexOf("./lab");
                if (at >= 0) {
                    commands.add(words.subList(at + 1, words.size()));
                }
            }
        }
        assertTrue(commands.size() >= 20, "the README shows the commands: " + commands.size());
        for (List<String> c : commands) {
            List<String> argv = new ArrayList<>(c);
            if (!argv.contains("--help") && !(argv.size() > 0 && argv.get(0).equals("help"))) {
                argv.add("--help");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = App.run(argv.toArray(String[]::new), new LabCli.Io(Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertEquals(0, code, "./lab " + String.join(" ", c) + ": " + err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: lab"), String.join(" ", c));
        }
    }

    /** Words as a shell splits them, quotes removed (no variables or escapes in the README's examples). */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    w.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                any = true;
            } else if (Character.isWhitespace(ch)) {
                if (w.length() > 0 || any) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(ch);
            }
        }
        if (w.length() > 0 || any) {
            out.add(w.toString());
        }
        return out;
    }
}
