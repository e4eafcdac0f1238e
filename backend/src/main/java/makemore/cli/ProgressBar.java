package makemore.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import makemore.config.RunConfig;
import makemore.event.RunEvent;

/** A one-line live bar on a terminal (a line every few seconds when stderr is not one). */
final class ProgressBar implements Consumer<RunEvent> {
    private final RunConfig cfg;
    private final PrintStream err;
    private final boolean tty = System.console() != null;
    private final long start = System.nanoTime();
    private long lastPrint;
    private double loss = Double.NaN;
    private double dev = Double.NaN;
    private double rate;
    private long step;

    ProgressBar(RunConfig cfg, PrintStream err) {
        this.cfg = cfg;
        this.err = err;
    }

    @Override
    public void accept(RunEvent e) {
        if (err == null) {
            return;
        }
        if (e instanceof RunEvent.Progress p) {
            loss = p.trainLoss();
            rate = p.stepsPerSec();
            step = p.step();
        } else if (e instanceof RunEvent.Eval ev && ev.split().equals("dev")) {
            dev = ev.loss();
            step = ev.step();
        } else if (e instanceof RunEvent.LrChange lr) {
            line("learning rate set to " + lr.lr() + " at step " + lr.step());
            return;
        } else {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint < (tty ? 100_000_000L : 5_000_000_000L) && step < cfg.totalSteps()) {
            return;
        }
        lastPrint = now;
        int total = Math.max(1, cfg.totalSteps());
        int width = 24;
        int filled = (int) Math.min(width, width * step / total);
        double eta = rate > 0 ? (total - step) / rate : 0;
        String text = String.format(Locale.ROOT, "[%s%s] %3d%% step %d/%d  loss %.4f  dev %.4f  %.0f steps/s  ETA %s",
                "#".repeat(filled), ".".repeat(width - filled), 100 * step / total, step, total, loss, dev, rate,
                duration(eta));
        if (tty) {
            err.print("\r" + text);
        } else {
            err.println(text);
        }
        err.flush();
    }

    private void line(String s) {
        err.println((tty ? "\r" : "") + s);
    }

    void done() {
        if (err != null && tty) {
            err.println();
        }
    }

    private static String duration(double s) {
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", (int) s / 60, (int) s % 60)
                : String.format(Locale.ROOT, "%.0fs", s);
    }
}
