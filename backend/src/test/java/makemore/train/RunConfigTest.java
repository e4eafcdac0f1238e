package makemore.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunConfigTest {
    private static ConfigException bad(String json) {
        return assertThrows(ConfigException.class, () -> RunConfig.fromJson(json).validate());
    }

    @Test
    void defaultsSuitTheModel() {
        RunConfig mlp = RunConfig.fromJson("{}").validate();
        assertEquals("mlp", mlp.model());
        assertEquals(3, mlp.context());
        assertEquals(0.1, mlp.lr());
        assertEquals(32, mlp.batch());
        RunConfig neural = RunConfig.fromJson("{\"model\":\"neural\"}").validate();
        assertEquals(50.0, neural.lr());
        assertEquals(1, neural.context());
        assertEquals(0, neural.batch());
        assertEquals(0.01, neural.l2());
        assertEquals(0, RunConfig.fromJson("{\"model\":\"ngram\"}").validate().steps());
    }

    @Test
    void errorsNameTheFieldAndTheRange() {
        ConfigException e = bad("{\"lr\": -1}");
        assertEquals("lr", e.field());
        assertTrue(e.getMessage().contains("(0, 1000]"), e.getMessage());
        e = bad("{\"model\":\"ngram\",\"context\": 9}");
        assertEquals("context", e.field());
        assertTrue(e.getMessage().contains("[1, 5]"), e.getMessage());
        assertEquals("model", bad("{\"model\":\"gpt\"}").field());
        assertEquals("hidden", bad("{\"hidden\": 0}").field());
        assertEquals("temperature", bad("{\"temperature\": 0}").field());
        assertEquals("schedule", bad("{\"schedule\": \"linear\"}").field());
    }

    @Test
    void unknownFieldsAndWrongTypesAreRejected() {
        ConfigException e = bad("{\"learningRate\": 0.1}");
        assertEquals("learningRate", e.field());
        assertTrue(e.getMessage().contains("unknown field"), e.getMessage());
        assertEquals("steps", bad("{\"steps\": \"many\"}").field());
        assertEquals("steps", bad("{\"steps\": 1.5}").field());
        assertEquals("config", bad("{\"steps\": ").field());
    }

    @Test
    void jsonRoundTripsAndSchedulesDecay() {
        RunConfig c = RunConfig.fromJson("{\"steps\":1000,\"lr\":0.2}").validate();
        assertEquals(c, RunConfig.fromJson(c.toJson()).validate());
        assertEquals(0.2, c.scheduledLr(c.lr(), 499), 1e-12);
        assertEquals(0.02, c.scheduledLr(c.lr(), 500), 1e-12);
        RunConfig cos = c.with("schedule", "cosine").validate();
        assertEquals(0.2, cos.scheduledLr(0.2, 0), 1e-12);
        assertEquals(0.02, cos.scheduledLr(0.2, 1000), 1e-12);
    }
}
