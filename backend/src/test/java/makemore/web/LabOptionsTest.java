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
        LabOptions o = LabOptions.resolve(flags(null, null, "abcdefghijklmnop-123",
                "http://Tools.Example:8000,https://x.example"), Map.of("MAKEMORE_ALLOW_ORIGIN", "http://env.example"));
        assertEquals(List.of("http://env.example:80", "http://tools.example:8000", "https://x.example:443"),
                o.allowOrigins());
        assertEquals("abcdefghijklmnop-123", o.token());
        assertTrue(o.loopback());
        assertEquals("tok-from-env-0123456789", LabOptions.resolve(LabOptions.Flags.none(),
                Map.of("MAKEMORE_TOKEN", "tok-from-env-0123456789")).token());
        assertFalse(LabOptions.resolve(flags("0.0.0.0", null, null, null), Map.of()).loopback());
    }

    @Test
    void badValuesAreOneLineErrors() {
        for (LabOptions.Flags f : List.of(flags(null, null, "short", null), flags(null, null, "has space in it ok?", null),
                flags(null, null, null, "evil.example"), flags(null, null, null, "http://x/path"),
                flags(null, 70000, null, null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabOptions.resolve(f, Map.of()),
                    f.toString());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    private static LabOptions.Flags flags(String host, Integer port, String token, String origins) {
        return new LabOptions.Flags(host, port, null, null, null, token, origins == null ? List.of() : List.of(origins));
    }
}
