package makemore.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import makemore.model.LanguageModel;
import makemore.event.RunEvent;
import makemore.store.ParamStore;

/**
 * Where a run's best-dev parameters live and how they get there. The lab's trainers and {@code ./lab sweep} both
 * save through here: to a file while the run trains (its working copy), and into the run database when it ends, so
 * a lab on the same database samples, probes and test-scores runs trained by either, on any machine.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** The folder of a lab's data directory that holds its runs' parameters. */
    public static Path dir(Path dataDir) {
        return dataDir.resolve("params");
    }

    /** Run {@code id}'s parameter file in {@code dir}. */
    public static Path file(Path dir, String id) {
        return dir.resolve(id + ".params");
    }

    /** Creates {@code dir} if it is missing; a folder that cannot be made is an error before anything trains. */
    public static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A trainer listener step that saves {@code model} to {@code file} at each dev evaluation better than all
     * before it, so the file holds the run's best-dev parameters. Call it before the event is published: whoever
     * hears of the evaluation can then load the file. A failed save throws, and the trainer fails the run.
     */
    public static Consumer<RunEvent> keepBestDev(LanguageModel model, Path file) {
        double[] best = {Double.NaN};
        return e -> {
            if (e instanceof RunEvent.Eval ev && ev.split().equals("dev")
                    && (Double.isNaN(best[0]) || ev.loss() < best[0])) {
                best[0] = ev.loss();
                save(model, file);
            }
        };
    }

    /**
     * Saves through a temporary file moved into place, whatever the model's own {@code save} does (count models
     * write in place), so a lab loading the file meanwhile never reads half of it; or fails the run with a short
     * reason.
     */
    private static void save(LanguageModel model, Path params) {
        Path part = params.resolveSibling(params.getFileName() + ".part");
        try {
            model.save(part);
            Files.move(part, params, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try { // no half-written file stays (models that write atomically themselves use part + ".tmp")
                Files.deleteIfExists(part);
                Files.deleteIfExists(part.resolveSibling(part.getFileName() + ".tmp"));
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new IllegalStateException("cannot save its parameters ("
                    + (String.valueOf(e.getMessage()).contains("space") ? "no space left on the device" : "write failed")
                    + ")");
        }
    }

    /** Copies a finished run's parameter file into the database; a run that saved none has nothing to copy. */
    public static void publish(ParamStore store, String id, Path file) {
        try {
            if (Files.exists(file)) {
                store.put(id, Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Run {@code id}'s parameter file in {@code dir}, fetched from the database when only the database has it (a
     * run trained on another machine); null when neither has it. The fetched copy is a cache, written whole.
     */
    public static Path fetch(ParamStore store, Path dir, String id) {
        Path file = file(dir, id);
        if (Files.exists(file) || store == null) {
            return Files.exists(file) ? file : null;
        }
        byte[] body = store.get(id).orElse(null);
        if (body == null) {
            return null;
        }
        Path part = null;
        try {
            Files.createDirectories(dir);
            part = Files.createTempFile(dir, id, ".fetch"); // its own name: two requests may fetch the same run at once
            Files.write(part, body);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                if (part != null) {
                    Files.deleteIfExists(part);
                }
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new IllegalStateException("cannot cache run " + id + "'s parameters in " + dir + ": "
                    + e.getMessage(), e);
        }
        return file;
    }
}
