package makemore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * How the page's modules hang together, read from the files (no browser): the events on the bus are the ones
 * state.js documents, and panels talk through state.js, never by importing one another.
 */
class PageModulesTest {

    private static final Path JS = Path.of(System.getProperty("mm.frontend.dir", "../frontend")).resolve("js");
    private static final Pattern BUS_CALL = Pattern.compile("\\bbus\\.(emit|on)\\(\\s*([^\\s)][^,)]*)");
    private static final Pattern LITERAL = Pattern.compile("'([^'\\\\]+)'");
    private static final Pattern DOCUMENTED = Pattern.compile("^//\\s+'([^']+)'\\s");

    private static List<Path> modules() throws IOException {
        try (Stream<Path> files = Files.walk(JS)) {
            return files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
        }
    }

    /** The events state.js's opening comment lists, one a line: {@code //   'name' payload: meaning}. */
    static TreeSet<String> documentedEvents(String stateJs) {
        TreeSet<String> events = new TreeSet<>();
        for (String line : stateJs.split("\n")) {
            if (!line.startsWith("//")) {
                break;
            }
            Matcher m = DOCUMENTED.matcher(line);
            if (m.find()) {
                events.add(m.group(1));
            }
        }
        return events;
    }

    /** Event name -> where it is emitted or listened to; a name that is not a plain string literal is an error. */
    static Map<String, List<String>> usedEvents(Map<String, String> sources) {
        Map<String, List<String>> used = new TreeMap<>();
        for (Map.Entry<String, String> file : sources.entrySet()) {
            Matcher m = BUS_CALL.matcher(file.getValue());
            while (m.find()) {
                String arg = m.group(2).trim();
                Matcher lit = LITERAL.matcher(arg);
                assertTrue(lit.matches(), file.getKey() + ": bus." + m.group(1) + "(" + arg
                        + ": name events with a string literal, so this check can see them");
                used.computeIfAbsent(lit.group(1), k -> new ArrayList<>()).add(file.getKey() + " (" + m.group(1) + ")");
            }
        }
        return used;
    }

    private static Map<String, String> sources() throws IOException {
        Map<String, String> sources = new TreeMap<>();
        for (Path p : modules()) {
            sources.put(JS.relativize(p).toString(), Files.readString(p));
        }
        return sources;
    }

    @Test
    void everyEventOnTheBusIsDocumentedInStateJsAndNoOtherIs() throws IOException {
        Map<String, String> sources = sources();
        TreeSet<String> documented = documentedEvents(sources.get("state.js"));
        Map<String, List<String>> used = usedEvents(sources);
        assertFalse(used.isEmpty(), "no bus.emit/bus.on found under " + JS.toAbsolutePath());
        TreeSet<String> undocumented = new TreeSet<>(used.keySet());
        undocumented.removeAll(documented);
        TreeSet<String> unused = new TreeSet<>(documented);
        unused.removeAll(used.keySet());
        assertTrue(undocumented.isEmpty(), "events used but not in state.js's list: "
                + undocumented.stream().map(e -> e + " " + used.get(e)).toList());
        assertTrue(unused.isEmpty(), "events state.js lists that nothing emits or listens to: " + unused);
    }

    /** The check itself: an event added without a line in state.js's list is caught. */
    @Test
    void anUndocumentedEventIsCaught() {
        String state = "// Events:\n//   'run' record: the open run\n\nbus.emit('run', r);\n";
        Map<String, List<String>> used = usedEvents(Map.of("state.js", state, "panels/x.js", "bus.on('run:new', f);"));
        assertEquals(new TreeSet<>(List.of("run")), documentedEvents(state));
        assertEquals(new TreeSet<>(List.of("run", "run:new")), new TreeSet<>(used.keySet()));
    }

    @Test
    void noPanelImportsAnotherPanel() throws IOException {
        Pattern sibling = Pattern.compile("(?m)^\\s*import\\b[^;]*?from\\s+'\\./|^\\s*import\\s+'\\./");
        List<String> offenders = new ArrayList<>();
        for (Path p : modules()) {
            if (p.getParent().equals(JS.resolve("panels")) && sibling.matcher(Files.readString(p)).find()) {
                offenders.add(JS.relativize(p).toString());
            }
        }
        assertTrue(offenders.isEmpty(), "panels that import another panel (talk through state.js instead): " + offenders);
    }
}
