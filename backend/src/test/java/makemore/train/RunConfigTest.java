package makemore.train;

import makemore.model.Models;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigTest {
    private static ConfigException bad(String json) {
        return assertThrows(ConfigException.class, () -> Models.validate(RunConfig.fromJson(json)));
    }

    @Test
    void defaultsSuitTheModel() {
        RunConfig mlp = Models.validate(RunConfig.fromJson("{}"));
        assertEquals("mlp", mlp.model());
        assertEquals(3, mlp.context());
        assertEquals(0.1, mlp.lr());
        assertEquals(32, mlp.batch());
        RunConfig neural = Models.validate(RunConfig.fromJson("{\"model\":\"neural\"}"));
        assertEquals(50.0, neural.lr());
        assertEquals(1, neural.context());
        assertEquals(0, neural.batch());
        assertEquals(0.01, neural.l2());
        RunConfig ngram = Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"lr\":3}"));
        assertEquals(0, ngram.totalSteps());
        assertNull(ngram.lr(), "fields a model does not read are dropped");
        assertNull(ngram.steps());
        assertEquals(1.0, ngram.smoothing());
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
        RunConfig c = Models.validate(RunConfig.fromJson("{\"steps\":1000,\"lr\":0.2}"));
        assertEquals(c, Models.validate(RunConfig.fromJson(c.toJson())));
        assertEquals(0.2, c.scheduledLr(c.lr(), 499), 1e-12);
        assertEquals(0.02, c.scheduledLr(c.lr(), 500), 1e-12);
        RunConfig cos = Models.validate(c.with("schedule", "cosine"));
        assertEquals(0.2, cos.scheduledLr(0.2, 0), 1e-12);
        assertEquals(0.02, cos.scheduledLr(0.2, 1000), 1e-12);
    }

    @Test
    void parsingIsStrict() {
        assertEquals("config", bad("").field());
        assertEquals("config", bad("null").field());
        assertEquals("config", bad("[1]").field());
        assertEquals("config", bad("{\"lr\":0.1} trailing").field());
        assertEquals("config", bad("{\"lr\":0.1,\"lr\":0.2}").field());
        assertEquals("steps", bad("{\"steps\":\"20\"}").field());
        assertEquals("lr", bad("{\"lr\":\"0.1\"}").field());
        assertEquals("seed", bad("{\"seed\":1e30}").field());
        assertEquals("steps", bad("{\"steps\":99999999999}").field());
        assertEquals("lr", bad("{\"lr\":{\"a\":1}}").field());
        assertEquals("config", bad("[".repeat(5000) + "]".repeat(5000)).field());
        assertEquals("config", bad("{\"lr\":NaN}").field());
    }

    @Test
    void evaluationsAreCapped() {
        ConfigException e = bad("{\"steps\":1000000,\"evalEvery\":1}");
        assertEquals("evalEvery", e.field());
        assertTrue(e.getMessage().contains("at least 1000"), e.getMessage());
        RunConfig raised = Models.validate(RunConfig.fromJson("{\"steps\":2000000}"));
        assertEquals(2000, raised.evalEvery(), "the default rises to steps / 1000");
        assertEquals(2000, raised.sampleEvery());
    }

    @Test
    void lrChangesAreCheckedAndKept() {
        RunConfig c = Models.validate(RunConfig.fromJson("{\"steps\":100,\"lrChanges\":[{\"step\":10,\"lr\":0.05}]}"));
        assertEquals(List.of(new RunConfig.LrPoint(10, 0.05)), c.lrChanges());
        assertEquals(c, Models.validate(RunConfig.fromJson(c.toJson())));
        assertEquals("lrChanges", bad("{\"steps\":100,\"lrChanges\":[{\"step\":100,\"lr\":0.05}]}").field());
        assertEquals("lrChanges", bad("{\"steps\":100,\"lrChanges\":[{\"step\":5,\"lr\":0}]}").field());
    }

    @Test
    void everyRegisteredDefaultIsValid() {
        for (var spec : makemore.model.Models.all()) {
            RunConfig c = Models.validate(RunConfig.fromJson("{\"model\":\"" + spec.name() + "\"}"));
            for (var f : spec.fields()) {
                assertTrue(RunConfig.fieldNames().contains(f.name()), f.name() + " is a RunConfig field");
            }
            assertEquals(spec.name(), c.model());
        }
    }

    /** A stored config holds only what shaped the run: a field read only with another's value is dropped without it. */
    @Test
    void storedConfigsHoldOnlyTheFieldsTheModelReads() {
        RunConfig mlp = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"schedule\":\"constant\",\"lrMin\":0.001}"));
        assertEquals(null, mlp.lrMin());
        assertEquals(null, mlp.lrMax());
        assertEquals(null, mlp.decayAt());
        assertEquals(null, mlp.decayFactor());
        assertFalse(mlp.toJson().contains("lrMin") || mlp.toJson().contains("decayAt"), mlp.toJson());
        RunConfig cosine = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"schedule\":\"cosine\"}"));
        assertEquals(null, cosine.decayAt());
        assertEquals(0.1, cosine.decayFactor());
        RunConfig finder = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"schedule\":\"finder\"}"));
        assertEquals(1e-4, finder.lrMin());
        RunConfig kn = Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"method\":\"kneser-ney\",\"smoothing\":3}"));
        assertEquals(null, kn.smoothing());
        assertEquals(0.75, kn.discount());
        RunConfig addk = Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"discount\":0.5}"));
        assertEquals(null, addk.discount());
        RunConfig sgd = Models.validate(RunConfig.fromJson("{\"model\":\"transformer\",\"optimizer\":\"sgd\"}"));
        assertEquals(null, sgd.beta1());
        assertEquals(sgd, Models.validate(RunConfig.fromJson(sgd.toJson())), "the stored config validates as it is");
        ConfigException e = assertThrows(ConfigException.class, () -> makemore.sweep.SweepDefinition.parse(
                "{\"base\":{\"model\":\"mlp\",\"schedule\":\"constant\"},\"params\":[{\"field\":\"decayAt\","
                        + "\"values\":[0.3,0.6]}]}"));
        assertEquals("decayAt", e.field());
        assertTrue(e.getMessage().contains("schedule"), e.getMessage());
    }
}
