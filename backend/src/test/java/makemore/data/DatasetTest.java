package makemore.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    static byte[] lines(String... l) {
        return String.join("\n", l).getBytes(StandardCharsets.UTF_8);
    }

    static String tenNames() {
        return "emma\nolivia\nava\nisabella\nsophia\ncharlotte\nmia\namelia\nharper\nevelyn\n";
    }

    @Test
    void trimsLinesDropsBlanksAndBuildsSortedVocabulary() {
        Dataset d = Dataset.parse("t", ("  emma \r\n\n\t\nolivia\r\n" + tenNames()).getBytes(StandardCharsets.UTF_8));
        assertEquals("emma", d.words().get(0));
        assertEquals("olivia", d.words().get(1));
        assertEquals(12, d.words().size());
        Vocabulary v = Vocabulary.of(d.words());
        assertEquals(".", v.symbol(0));
        assertEquals("a", v.symbol(1));
        assertEquals(v.size() - 1, d.words().stream().flatMapToInt(String::codePoints).boxed()
                .collect(Collectors.toSet()).size());
    }

    @Test
    void rejectsEmptyAndBlankFiles() {
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.parse("t", new byte[0]));
        assertTrue(e.getMessage().contains("no usable lines"), e.getMessage());
        assertThrows(DatasetException.class, () -> Dataset.parse("t", lines("  ", "", "\t")));
    }

    @Test
    void rejectsBinaryAndInvalidUtf8() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.parse("t", png));
        assertEquals(DatasetException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        byte[] nul = (tenNames() + "ab\0cd\n").getBytes(StandardCharsets.UTF_8);
        e = assertThrows(DatasetException.class, () -> Dataset.parse("t", nul));
        assertTrue(e.getMessage().contains("line 11") && e.getMessage().contains("binary"), e.getMessage());
        byte[] latin1 = (tenNames() + "jos\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(DatasetException.class, () -> Dataset.parse("t", latin1));
    }

    @Test
    void rejectsLongLinesTooFewItemsAndHugeCharacterSets() {
        String longLine = "a".repeat(Dataset.MAX_LINE + 1);
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.parse("t", lines(tenNames(), longLine)));
        assertTrue(e.getMessage().contains("line 12") || e.getMessage().contains("line 11"), e.getMessage());
        e = assertThrows(DatasetException.class, () -> Dataset.parse("t", lines("a", "b", "c")));
        assertTrue(e.getMessage().contains("at least 10"), e.getMessage());
        // 300 distinct CJK characters, one per line: no character-level vocabulary
        String many = IntStream.range(0, 300).mapToObj(i -> new String(Character.toChars(0x4e00 + i)))
                .collect(Collectors.joining("\n"));
        e = assertThrows(DatasetException.class, () -> Dataset.parse("t", many.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("distinct characters"), e.getMessage());
    }

    @Test
    void fileErrorsAreClear(@TempDir Path dir) throws Exception {
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.load(dir.resolve("missing.txt")));
        assertEquals(DatasetException.Kind.NOT_FOUND, e.kind());
        Path ok = dir.resolve("ok.txt");
        Files.writeString(ok, tenNames());
        assertEquals(10, Dataset.load(ok).words().size());
    }

    @Test
    void unicodeNamesAreCharactersNotBytes() {
        Dataset d = Dataset.parse("t", (tenNames() + "zoë\nchloé\n").getBytes(StandardCharsets.UTF_8));
        Vocabulary v = Vocabulary.of(d.words());
        assertTrue(v.symbols().contains("ë"));
        assertEquals(3, v.encode("zoë").length);
    }

    @Test
    void splitIsSeededByItemAndCoversEverything() {
        Dataset d = Dataset.builtinNames();
        Corpus a = new Corpus(d);
        Corpus b = new Corpus(d);
        assertEquals(a.words(Corpus.Part.DEV), b.words(Corpus.Part.DEV));
        int n = d.words().size();
        assertEquals((int) (0.8 * n), a.words(Corpus.Part.TRAIN).size());
        assertEquals((int) (0.9 * n) - (int) (0.8 * n), a.words(Corpus.Part.DEV).size());
        List<String> all = new java.util.ArrayList<>();
        for (Corpus.Part p : Corpus.Part.values()) {
            all.addAll(a.words(p));
        }
        assertEquals(new HashSet<>(d.words()), new HashSet<>(all));
        assertEquals(n, all.size());
    }

    @Test
    void contextsArePaddedAndEndWithTheBoundary() {
        Vocabulary v = Vocabulary.of(List.of("ab"));
        Contexts c = Contexts.of(List.of("ab"), v, 2);
        assertEquals(3, c.size());
        // .. -> a, .a -> b, ab -> .
        assertEquals(List.of(0, 0, 0, 1, 1, 2), IntStream.of(c.x()).boxed().toList());
        assertEquals(List.of(1, 2, 0), IntStream.of(c.y()).boxed().toList());
    }
}
