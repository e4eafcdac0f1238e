package makemore.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import makemore.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgramExplorerTest {
    @TempDir
    Path dir;

    /** Add-k's scores with Kneser-Ney's next to them, per context, so the page can plot both against context. */
    @Test
    @SuppressWarnings("unchecked")
    void kneserNeyDevComesWithAddK() {
        NgramExplorer e = new NgramExplorer(new DatasetLibrary(dir));
        Map<String, Object> five = e.score("names", 5, 0.1, 0.75);
        Map<String, Object> kn = (Map<String, Object>) five.get("kneserNey");
        assertEquals(0.75, kn.get("discount"));
        assertEquals(2.3106, (double) five.get("dev"), 1e-3, "add-k 0.1 at context 5");
        assertEquals(1.9901, (double) kn.get("dev"), 1e-3, "Kneser-Ney at context 5");
        assertTrue((double) kn.get("train") < (double) kn.get("dev"));
        Map<String, Object> other = (Map<String, Object>) e.score("names", 5, 0.1, 0.9).get("kneserNey");
        assertTrue((double) other.get("dev") < (double) kn.get("dev"), "D = 0.9 is better here");
        ConfigException bad = assertThrows(ConfigException.class, () -> e.score("names", 3, 0.1, 0));
        assertEquals("discount", bad.field());
    }
}
