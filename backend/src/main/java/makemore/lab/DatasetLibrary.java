package makemore.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import makemore.config.Limits;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.data.DatasetException;
import makemore.data.DatasetScan;
import makemore.store.RunStore;
import makemore.store.StoreException;

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
    private final Permits checking = new Permits(Limits.UPLOAD_CHECKS, Limits.UPLOAD_WAIT_SEC * 1000L,
            "the lab is busy checking " + Limits.UPLOAD_CHECKS + " other uploads");

    public DatasetLibrary(Path dataDir) {
        this.dir = dataDir.resolve("datasets");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public Corpus corpus(String id) {
        checkId(id);
        try {
            return corpora.computeIfAbsent(id, k -> new Corpus(k.equals("names") ? Dataset.builtinNames()
                    : Dataset.load(dir.resolve(k + ".txt"))));
        } catch (DatasetException e) {
            // the loader's message names the server's file: say it by id
            throw new DatasetException(e.kind(), e.kind() == DatasetException.Kind.NOT_FOUND
                    ? "no dataset '" + id + "'; see GET /api/datasets" : "dataset '" + id + "' is damaged: " + e.getMessage());
        }
    }

    private static void checkId(String id) {
        if (id == null || !id.equals("names") && !id.matches("[0-9a-f]{16}")) {
            throw new DatasetException(DatasetException.Kind.NOT_FOUND, "no dataset '" + id + "'; see GET /api/datasets");
        }
    }

    /**
     * The name shown for an upload: a plain file name (no folders, no control characters), not a path to use.
     * Returns "upload.txt" when none is given.
     */
    public static String checkName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "upload.txt";
        }
        if (fileName.chars().anyMatch(c -> c < 0x20 && c != ' ' || c == 0x7f)) {
            throw new DatasetException(DatasetException.Kind.INVALID, "the file name must not contain control characters");
        }
        String n = fileName.strip();
        if (n.length() > 200) {
            throw new DatasetException(DatasetException.Kind.INVALID, "the file name is " + n.length()
                    + " characters long; the limit is 200");
        }
        if (n.equals(".") || n.equals("..") || n.chars().anyMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f)) {
            throw new DatasetException(DatasetException.Kind.INVALID,
                    "the file name must be a plain name: no '/', '\\', control characters, '.' or '..'");
        }
        return n;
    }

    /**
     * Validates and stores an upload: the {@code length} bytes at {@code offset} of {@code source}, a file in the data
     * folder that is moved into place when it is the whole of them (and may then be gone). They are read once, as a
     * stream, so memory does not grow with their size; at most {@link Limits#UPLOAD_CHECKS} are checked at once, and
     * one that waits longer than {@link Limits#UPLOAD_WAIT_SEC} for a place is a 503. An identical file returns the
     * existing dataset.
     */
    public Info upload(String fileName, Path source, long offset, long length) {
        String name = checkName(fileName);
        Dataset.checkSize(length);
        return checking.run(() -> store(name, source, offset, length));
    }

    private Info store(String name, Path source, long offset, long length) {
        MessageDigest sha;
        DatasetScan.Summary s;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            sha = sha256();
            s = DatasetScan.scan(new DigestInputStream(new Slice(in, offset, length), sha), null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read back the spooled upload", e);
        }
        String hash = HexFormat.of().formatHex(sha.digest());
        String id = hash.substring(0, 16);
        Info info = new Info(id, name, (int) s.items(), s.characters(), false, Instant.now().toString(), hash);
        Path file = dir.resolve(id + ".txt");
        Path meta = dir.resolve(id + ".json");
        if (Files.exists(file) && Files.exists(meta)) {
            return read(id);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, id, ".tmp");
            if (offset == 0 && length == Files.size(source)) {
                Files.move(source, tmp, StandardCopyOption.REPLACE_EXISTING); // a rename: the spool is in this folder
            } else {
                copy(source, offset, length, tmp);
            }
            synchronized (this) {
                if (Files.exists(file) && Files.exists(meta)) {
                    return read(id);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Files.write(tmp, RunStore.JSON.writeValueAsBytes(info)); // the description appears whole, or not at all
                    Files.move(tmp, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    deleteQuietly(file);
                    throw e;
                }
                tmp = null;
                return read(id);
            }
        } catch (IOException e) {
            throw StoreException.dataWrite("cannot store the dataset", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void copy(Path source, long offset, long length, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long done = 0;
            while (done < length) {
                long n = in.transferTo(offset + done, length - done, out);
                if (n <= 0) {
                    throw new IOException("the spooled upload ended early");
                }
                done += n;
            }
        }
    }

    /** {@code length} bytes of a file from {@code offset}, as a stream. */
    private static final class Slice extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long end;

        Slice(FileChannel ch, long offset, long length) {
            this.ch = ch;
            this.pos = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= end) {
                return -1;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
            if (n < 0) {
                return -1;
            }
            pos += n;
            return n;
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // nothing more to do
            }
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
            throw new IllegalStateException("cannot list the datasets folder", e);
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
            throw new DatasetException(DatasetException.Kind.NOT_FOUND, "dataset " + id + " has no readable description");
        }
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha256().digest(b));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
