package makemore.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import makemore.event.RunStatus;
import makemore.store.RunStore;
import makemore.store.RungStore;
import makemore.store.SweepStore;
import makemore.sweep.SweepDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ASHA's rung decisions with a cooldown, on synthetic results and a real database, no training: below the top rung
 * a trial is ranked by the dev its cooldown branch reaches, not by its dev as it stands, and the top rung asks none.
 */
class SweepJudgeTest {
    @TempDir
    Path dir;

    private static SweepDefinition asha(String cooldown) {
        return SweepDefinition.parse("{\"base\":{\"model\":\"mlp\",\"steps\":180,\"evalEvery\":20},\"params\":["
                + "{\"field\":\"lr\",\"range\":{\"lo\":0.001,\"hi\":1,\"scale\":\"log\"}}],\"search\":{\"kind\":\"asha\","
                + "\"trials\":9,\"eta\":3,\"minSteps\":20" + cooldown + "}}");
    }

    @Test
    void belowTheTopATrialIsRankedByItsCooldownDev() {
        SweepDefinition def = asha(",\"cooldown\":7");
        // trial: {dev as it stands at rung 0, dev after the cooldown}; the noisy high-rate trial 1 looks worse
        // as it stands but is better once cooled, and goes on where the plain ranking would stop it
        Map<Integer, double[]> at0 = Map.of(0, new double[] {2.40, 2.30}, 1, new double[] {2.50, 2.20},
                2, new double[] {2.35, 2.32});
        try (RunStore store = new RunStore(dir.resolve("j.db").toString())) {
            SweepStore sweeps = new SweepStore(store);
            RungStore rungs = new RungStore(store);
            sweeps.ensure("s", def.hash(), def.toJson(), def.base().toJson(), 9);
            List<Integer> asked = new ArrayList<>();
            List<Boolean> wentOn = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                double[] d = at0.get(t);
                TrainingRun.Stop s = SweepJudge.of(sweeps, rungs, "s", def, t).afterDev(20, d[0], n -> {
                    asked.add(n);
                    return d[1];
                });
                wentOn.add(s == null);
                if (s != null) {
                    assertEquals(RunStatus.PRUNED, s.as());
                    assertTrue(s.why().contains("after a 7-step cooldown"), s.why());
                }
            }
            assertEquals(List.of(7, 7, 7), asked, "one cooldown of the search's length per decision");
            assertEquals(List.of(true, true, false), wentOn, "by 2.30, then 2.20 (best of 2), then 2.32 (3rd of 3)");
            assertEquals(List.of(2.30, 2.20, 2.32), rungs.rows("s").stream().map(RungStore.Row::dev).toList(),
                    "the rung records what it ranked");
            // not a rung (step 40) and the top rung (180): no branch is trained
            TrainingRun.DevJudge judge = SweepJudge.of(sweeps, rungs, "s", def, 1);
            TrainingRun.Cooldown never = n -> {
                throw new AssertionError("no cooldown off the rungs below the top");
            };
            assertNull(judge.afterDev(40, 2.1, never));
            assertNull(judge.afterDev(180, 2.1, never));
            assertEquals(2.1, rungs.rows("s").stream().filter(r -> r.rung() == 2).findFirst().orElseThrow().dev());
        }
    }

    @Test
    void cooldownZeroRanksByDevAsItStands() {
        SweepDefinition def = asha(",\"cooldown\":0");
        try (RunStore store = new RunStore(dir.resolve("z.db").toString())) {
            SweepStore sweeps = new SweepStore(store);
            RungStore rungs = new RungStore(store);
            sweeps.ensure("z", def.hash(), def.toJson(), def.base().toJson(), 9);
            TrainingRun.Cooldown never = n -> {
                throw new AssertionError("cooldown 0 trains no branch");
            };
            assertNull(SweepJudge.of(sweeps, rungs, "z", def, 0).afterDev(20, 2.4, never));
            TrainingRun.Stop s = SweepJudge.of(sweeps, rungs, "z", def, 1).afterDev(20, 2.5, never);
            assertEquals(RunStatus.PRUNED, s.as());
            assertTrue(s.why().contains("dev 2.5000 ranks 2 of 2"), s.why());
        }
    }
}
