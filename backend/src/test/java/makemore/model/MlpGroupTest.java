package makemore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.lab.TrainingRun;
import makemore.train.RunControl;
import makemore.train.TrainResult;
import org.junit.jupiter.api.Test;

/**
 * Three MLP points trained together as one batched model against each trained alone: the same curves (every progress
 * loss and evaluation within {@link #TOL}; the only difference is the order of float reductions in batched products),
 * a stopped or pruned point leaves while the others go on unchanged, and no point's events carry another's values.
 */
class MlpGroupTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());
    static final double TOL = 1e-4;
    static final String BASE = "{\"model\":\"mlp\",\"hidden\":32,\"steps\":300,\"evalEvery\":100,\"sampleEvery\":0,";
    // lr, schedule, l2 and seed differ: the fields that keep the shapes
    static final List<RunConfig> POINTS = List.of(
            cfg("\"lr\":0.1,\"schedule\":\"constant\",\"seed\":1}"),
            cfg("\"lr\":0.3,\"schedule\":\"step\",\"l2\":0.01,\"seed\":2}"),
            cfg("\"lr\":0.05,\"schedule\":\"cosine\",\"seed\":3}"));

    static RunConfig cfg(String rest) {
        return Models.validate(RunConfig.fromJson(BASE + rest));
    }

    record Run(TrainResult result, List<RunEvent> events) {}

    static Run alone(RunConfig cfg) {
        List<RunEvent> events = new ArrayList<>();
        return new Run(TrainingRun.of(cfg, NAMES).listener(events::add).run(), events);
    }

    /**
     * The points together, each on its own thread as a sweep runs them; {@code hooks[i]} (if any) hears point i's
     * events and may set up its run (control, judge).
     */
    static List<Run> together(List<RunConfig> cfgs, Hook... hooks) throws InterruptedException {
        List<LanguageModel> members = Models.spec("mlp").group().members(cfgs, NAMES);
        List<List<RunEvent>> events = new ArrayList<>();
        TrainResult[] results = new TrainResult[cfgs.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < cfgs.size(); i++) {
            int at = i;
            List<RunEvent> mine = new ArrayList<>(); // only this point's trainer thread adds to it
            events.add(mine);
            Hook hook = hooks.length > i && hooks[i] != null ? hooks[i] : new Hook() {};
            TrainingRun run = hook.setUp(TrainingRun.of(cfgs.get(i), NAMES).model(members.get(i)).listener(e -> {
                mine.add(e);
                hook.heard(e);
            }));
            Thread t = new Thread(() -> results[at] = run.run());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < cfgs.size(); i++) {
            out.add(new Run(results[i], events.get(i)));
        }
        return out;
    }

    interface Hook {
        default TrainingRun setUp(TrainingRun run) {
            return run;
        }

        default void heard(RunEvent e) {}
    }

    /** Step, split and value of every progress point and evaluation, in order. */
    static List<double[]> curve(List<RunEvent> events) {
        List<double[]> out = new ArrayList<>();
        for (RunEvent e : events) {
            if (e instanceof RunEvent.Progress p) {
                out.add(new double[] {p.step(), 0, p.trainLoss(), p.lr()});
            } else if (e instanceof RunEvent.Eval ev) {
                out.add(new double[] {ev.step(), ev.split().equals("dev") ? 2 : 1, ev.loss(), 0});
            }
        }
        return out;
    }

    static void sameCurve(Run alone, Run grouped, long upTo, String what) {
        List<double[]> a = curve(alone.events()).stream().filter(p -> p[0] <= upTo).toList();
        List<double[]> g = curve(grouped.events());
        assertEquals(a.size(), g.size(), what + ": as many progress points and evaluations");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i)[0], g.get(i)[0], what + " step");
            assertEquals(a.get(i)[1], g.get(i)[1], what + " kind at step " + a.get(i)[0]);
            assertEquals(a.get(i)[2], g.get(i)[2], TOL, what + " loss at step " + a.get(i)[0]);
            assertEquals(a.get(i)[3], g.get(i)[3], 1e-12, what + " lr at step " + a.get(i)[0]);
        }
    }

    @Test
    void eachPointOfAGroupFollowsItsSoloCurve() throws InterruptedException {
        List<Run> solo = POINTS.stream().map(MlpGroupTest::alone).toList();
        List<Run> grouped = together(POINTS);
        for (int i = 0; i < POINTS.size(); i++) {
            assertEquals(RunStatus.FINISHED, grouped.get(i).result().status());
            sameCurve(solo.get(i), grouped.get(i), Long.MAX_VALUE, "point " + i);
            assertEquals(solo.get(i).result().dev(), grouped.get(i).result().dev(), TOL, "point " + i + " final dev");
            // 300 steps learn: below uniform's ln 27 = 3.2958 by a margin, and the points differ from each other
            assertTrue(grouped.get(i).result().dev() < 2.9, "point " + i + " dev " + grouped.get(i).result().dev());
        }
        // samples come from the point's own parameters and seed: the same names as alone
        assertEquals(solo.get(1).result().samples(), grouped.get(1).result().samples());
        assertTrue(Math.abs(grouped.get(0).result().dev() - grouped.get(1).result().dev()) > 10 * TOL);
    }

    @Test
    void aStoppedPointAndAPrunedPointLeaveWhileTheOtherGoesOn() throws InterruptedException {
        RunControl stop = new RunControl();
        Hook stopAt120 = new Hook() { // as the page's Stop: asked between steps, it ends after step 120
            @Override
            public TrainingRun setUp(TrainingRun run) {
                return run.control(stop);
            }

            @Override
            public void heard(RunEvent e) {
                if (e instanceof RunEvent.Progress p && p.step() == 120) {
                    stop.requestStop();
                }
            }
        };
        Hook pruneAt100 = new Hook() { // as a sweep's judge (median rule, ASHA rung) at the dev evaluation of step 100
            @Override
            public TrainingRun setUp(TrainingRun run) {
                return run.judge((step, dev, cooldown) -> step == 100 ? new TrainingRun.Stop(RunStatus.PRUNED, "pruned")
                        : null);
            }
        };
        List<Run> solo = POINTS.stream().map(MlpGroupTest::alone).toList();
        List<Run> grouped = together(POINTS, stopAt120, null, pruneAt100);
        assertEquals(RunStatus.STOPPED, grouped.get(0).result().status());
        assertEquals(120, grouped.get(0).result().steps());
        assertEquals(RunStatus.PRUNED, grouped.get(2).result().status());
        assertEquals(100, grouped.get(2).result().steps());
        assertEquals(RunStatus.FINISHED, grouped.get(1).result().status(), "the other point goes on to its end");
        assertEquals(300, grouped.get(1).result().steps());
        sameCurve(solo.get(1), grouped.get(1), Long.MAX_VALUE, "the point that went on");
        sameCurve(solo.get(2), grouped.get(2), 100, "the pruned point up to its prune");
        // the stopped point: its solo curve up to step 120, then its final evaluation there (not in the solo curve)
        List<RunEvent> beforeStop = grouped.get(0).events().stream()
                .filter(e -> !(e instanceof RunEvent.Eval ev) || ev.step() != 120).toList();
        assertEquals(2, grouped.get(0).events().size() - beforeStop.size(), "train and dev at the stop");
        sameCurve(solo.get(0), new Run(null, beforeStop), 120, "the stopped point");
    }
}
