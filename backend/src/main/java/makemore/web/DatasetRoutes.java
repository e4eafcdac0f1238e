package makemore.web;

import static makemore.web.LabServer.safe;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import makemore.data.DatasetException;
import makemore.lab.DatasetLibrary;
import makemore.lab.NgramExplorer;
import makemore.config.ConfigException;

/**
 * The dataset endpoints (list, upload) and the n-gram explorer, which scores a dataset without a run. Uploads
 * spool to {@code spoolDir}, in the datasets folder so a whole valid upload is moved into place, not copied; what a
 * crashed upload left there is removed when the lab starts.
 */
final class DatasetRoutes {
    DatasetRoutes(Javalin app, DatasetLibrary datasets, NgramExplorer ngrams, Path spoolDir, BodyPermits bodies) {
        app.get("/api/datasets", safe(ctx -> ctx.json(datasets.list())));
        app.post("/api/datasets", safe(ctx -> {
            try (Bodies.Upload u = bodies.read(() -> Bodies.upload(ctx, spoolDir))) {
                String name;
                try {
                    name = DatasetLibrary.checkName(u.name());
                } catch (DatasetException e) {
                    throw new ConfigException("name", e.getMessage());
                }
                ctx.status(201).json(datasets.upload(name, u.spool(), u.offset(), u.length()));
            }
        }));
        app.get("/api/ngram", safe(ctx -> ctx.json(ngrams.score(ctx.queryParam("dataset"),
                RequestFields.intParam(ctx, "context", 1), RequestFields.doubleParam(ctx, "smoothing", 1.0),
                RequestFields.doubleParam(ctx, "discount", 0.75), () -> ClientWatch.gone(ctx)))));
    }

    static void cleanSpool(Path spoolDir) {
        try (var files = Files.list(spoolDir)) {
            // spooled bodies, and uploads a crash caught between spool and place (DatasetLibrary's .tmp files)
            files.filter(p -> p.getFileName().toString().startsWith("upload-") || p.getFileName().toString().endsWith(".tmp"))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
