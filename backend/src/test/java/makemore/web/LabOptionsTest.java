package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabOptionsTest {
    @Test
    void tokenAndAllowedOriginsComeFromFlagsOrEnvironment() {
        LabOptions o = LabOptions.parse(new String[] {"--allow-origin", "http://Tools.Example:8000,https://x.example",
                "--token", "abcdefghijklmnop-123"}, Map.of("MAKEMORE_ALLOW_ORIGIN", "http://env.example"));
        assertEquals(List.of("http://env.example:80", "http://tools.example:8000", "https://x.example:443"),
                o.allowOrigins());
        assertEquals("abcdefghijklmnop-123", o.token());
        assertTrue(o.loopback());
        assertEquals("tok-from-env-0123456789", LabOptions.parse(new String[0],
                Map.of("MAKEMORE_TOKEN", "tok-from-env-0123456789")).token());
        assertFalse(LabOptions.parse(new String[] {"--host", "0.0.0.0"}, Map.of()).loopback());
    }

    @Test
    void badValuesAreOneLineErrors() {
        for (String[] args : List.of(new String[] {"--token", "short"}, new String[] {"--token", "has space in it ok?"},
                new String[] {"--allow-origin", "evil.example"}, new String[] {"--allow-origin", "http://x/path"},
                new String[] {"--port", "70000"}, new String[] {"--colour", "red"}, new String[] {"--token"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabOptions.parse(args, Map.of()),
                    String.join(" ", args));
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
