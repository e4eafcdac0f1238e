package makemore.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.data.DatasetException;
import makemore.store.RunStore;

/**
 * The datasets runs may name: "names" (built in) and uploads, stored by content hash under the data directory
 * (the same file uploaded twice is one dataset). Clients name datasets by id, never by path.
 */
public final class DatasetLibrary {
    /** @param sha256 the file's content hash, so a re-run link can say which data it needs, wherever it opens */
    public record Info(String id, String name, int items, int characters, boolean builtin, String created,
            String sha256) {
        public Info(String id, String name, int items, int characters, boolean builtin, String created) {
            this(id, name, items, characters, builtin, created, null);
        }

        Info withSha256(String h) {
            return new Info(id, name, items, characters, builtin, created, h);
        }
    }

    private final Path dir;
    private final Map<String, Corpus> corpora = new ConcurrentHashMap<>();
    private volatile String builtinHash;

    public DatasetLibrary(Path dataDir) {
        this.dir = dataDir.resolve("datasets");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public Corpus corpus(String id) {
        if (!id.equals("names") && !id.matches("[0-9a-f]{16}")) {
            throw new DatasetException(DatasetException.Kind.NOT_FOUND, "no dataset '" + id + "'; see GET /api/datasets");
        }
        return corpora.computeIfAbsent(id, k -> new Corpus(k.equals("names") ? Dataset.builtinNames()
                : Dataset.load(dir.resolve(k + ".txt"))));
    }

    /** Validates and stores an upload; an identical file returns the existing dataset. */
    public Info upload(String fileName, byte[] bytes) {
        String name = fileName == null || fileName.isBlank() ? "upload.txt" : Path.of(fileName).getFileName().toString();
        Dataset d = Dataset.parse(name, bytes);
        String hash = sha256(bytes);
        String id = hash.substring(0, 16);
        Info info = new Info(id, name, d.words().size(), new Corpus(d).vocab().size() - 1, false, Instant.now().toString(),
                hash);
        try {
            Path file = dir.resolve(id + ".txt");
            if (!Files.exists(file)) {
                Path tmp = Files.createTempFile(dir, id, ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(dir.resolve(id + ".json"), RunStore.JSON.writeValueAsString(info));
            }
            return read(id);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the dataset: " + e.getMessage(), e);
        }
    }

    public List<Info> list() {
        List<Info> out = new ArrayList<>();
        Corpus names = corpus("names");
        out.add(new Info("names", "US baby names, 2018", names.dataset().words().size(), names.vocab().size() - 1, true,
                null, builtinHash()));
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> {
                String id = p.getFileName().toString().replace(".json", "");
                out.add(read(id));
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list datasets: " + e.getMessage(), e);
        }
        return out;
    }

    private String builtinHash() {
        if (builtinHash == null) {
            try (var in = Dataset.class.getResourceAsStream("/makemore/data/names.txt")) {
                builtinHash = in == null ? null : sha256(in.readAllBytes());
            } catch (IOException e) {
                return null;
            }
        }
        return builtinHash;
    }

    private Info read(String id) {
        try {
            Info info = RunStore.JSON.readValue(Files.readString(dir.resolve(id + ".json"), StandardCharsets.UTF_8),
                    Info.class);
            // uploads stored before hashes were listed: the file is named by its hash, so it can be recomputed
            return info.sha256() != null ? info : info.withSha256(sha256(Files.readAllBytes(dir.resolve(id + ".txt"))));
        } catch (IOException e) {
            throw new IllegalStateException("dataset " + id + " is damaged: " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
