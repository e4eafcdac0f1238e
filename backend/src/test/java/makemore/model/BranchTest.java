package makemore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.lab.TrainingRun;
import org.junit.jupiter.api.Test;

/** ASHA's rung cooldown: a branch trained and scored, then put back, leaving the main run as it would have been. */
class BranchTest {
    @Test
    void markableRandomDrawsRandomsSequenceAndReplaysFromAMark() {
        Random plain = new Random(43);
        MarkableRandom mine = new MarkableRandom(43);
        for (int i = 0; i < 1000; i++) {
            assertEquals(plain.nextInt(228146), mine.nextInt(228146), "draw " + i);
        }
        long mark = mine.mark();
        int[] first = new int[50];
        for (int i = 0; i < first.length; i++) {
            first[i] = mine.nextInt(1000);
        }
        mine.reset(mark);
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], mine.nextInt(1000), "replayed draw " + i);
            assertEquals(first[i], plain.nextInt(1000), "and still Random's");
        }
        double inside = mine.branch(() -> {
            assertTrue(mine.inBranch());
            return mine.nextInt(1000);
        });
        assertTrue(!mine.inBranch(), "the branch has ended");
        assertEquals((int) inside, mine.nextInt(1000), "the branch's draw is drawn again after it");
    }

    /** The MLP's branch puts back parameters, batch stream and pending loss: the run is bit for bit the same. */
    @Test
    void anMlpBranchLeavesTheRunAsItWouldHaveBeen() {
        RunConfig cfg = MlpTest.mlp(",\"seed\":5,\"hidden\":40,\"lr\":0.3");
        try (LanguageModel a = Models.create(cfg, MlpTest.NAMES); LanguageModel b = Models.create(cfg, MlpTest.NAMES)) {
            for (int i = 0; i < 400; i++) {
                a.step(cfg.lr());
                b.step(cfg.lr());
            }
            double dev = a.nll(Corpus.Part.DEV);
            double cooled = a.branchDev(200, cfg.lr() / 10);
            assertEquals(dev, a.nll(Corpus.Part.DEV), 0.0, "the parameters are back");
            assertTrue(cooled < dev - 0.01, "200 steps at a tenth of the rate lower dev: " + dev + " -> " + cooled);
            for (int i = 0; i < 300; i++) {
                a.step(cfg.lr());
                b.step(cfg.lr());
            }
            assertEquals(b.drainLoss(), a.drainLoss(), 0.0, "the same batches, and no branch loss in the mean");
            assertEquals(b.nll(Corpus.Part.DEV), a.nll(Corpus.Part.DEV), 0.0);
        }
    }

    /**
     * A point training in a batched group (--together) branches on its own solo model: the group's step would move
     * every point. Every point's run ends as without the branch, and the branch's dev is the cooled one.
     */
    @Test
    void aGroupMemberBranchesAloneAndTheGroupTrainsAsWithoutIt() throws InterruptedException {
        double[] at100 = new double[2];
        MlpGroupTest.Hook cool = new MlpGroupTest.Hook() {
            @Override
            public TrainingRun setUp(TrainingRun run) {
                return run.judge((step, dev, cooldown) -> {
                    if (step == 100) {
                        at100[0] = dev;
                        at100[1] = cooldown.dev(50);
                    }
                    return null;
                });
            }
        };
        List<MlpGroupTest.Run> plain = MlpGroupTest.together(MlpGroupTest.POINTS);
        List<MlpGroupTest.Run> branched = MlpGroupTest.together(MlpGroupTest.POINTS, null, cool, null);
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(plain.get(i).result().status(), branched.get(i).result().status());
            assertEquals(plain.get(i).result().dev(), branched.get(i).result().dev(), 0.0, "point " + i);
            assertEquals(plain.get(i).result().train(), branched.get(i).result().train(), 0.0, "point " + i);
        }
        assertTrue(at100[1] < at100[0] - 0.005, "50 steps at lr 0.03 after 100 at 0.3: " + at100[0] + " -> " + at100[1]);
    }

    /** The default branch (any model): the parameters come back; the batch stream moves on, as documented. */
    @Test
    void theDefaultBranchPutsTheParametersBack() {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"rnn\",\"seed\":2,\"steps\":40}"));
        try (LanguageModel m = Models.create(cfg, MlpTest.NAMES)) {
            for (int i = 0; i < 20; i++) {
                m.step(cfg.lr());
            }
            double dev = m.nll(Corpus.Part.DEV);
            double cooled = m.branchDev(10, cfg.lr() / 10);
            assertNotEquals(dev, cooled, "the branch trained");
            assertEquals(dev, m.nll(Corpus.Part.DEV), 0.0, "the parameters are back");
        }
    }
}
