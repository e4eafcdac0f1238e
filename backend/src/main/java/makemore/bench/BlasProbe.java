package makemore.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Which BLAS the lab's libtorch really uses, found rather than assumed: a BLAS library mapped into this process,
 * or else one linked into libtorch_cpu itself (PyTorch's x86 builds link MKL statically, so only the file's own
 * bytes tell). Printed beside every speed ratio, as the reference side prints its own.
 */
final class BlasProbe {
    private BlasProbe() {}

    static String describe() {
        try {
            return describe(Files.readAllLines(Path.of("/proc/self/maps")));
        } catch (IOException e) {
            return "unknown (no /proc/self/maps)";
        }
    }

    /** From the lines of a process's memory map. */
    static String describe(List<String> maps) {
        TreeSet<String> blas = new TreeSet<>();
        String torchCpu = null;
        for (String line : maps) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String path = line.substring(slash).strip();
            String name = Path.of(path).getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.startsWith("mkl-amd")) {
                continue; // the lab's AMD shim (backend/native/mkl_amd.c), not a BLAS: printed as the shim
            }
            if (name.contains("blas") || name.contains("mkl")) {
                blas.add(path);
            } else if (name.startsWith("libtorch_cpu")) {
                torchCpu = path;
            }
        }
        if (!blas.isEmpty()) {
            return String.join(", ", blas);
        }
        if (torchCpu == null) {
            return "unknown (libtorch_cpu is not loaded yet)";
        }
        String linked = contains(Path.of(torchCpu), "Intel(R) oneAPI Math Kernel Library") ? "MKL (oneAPI)"
                : contains(Path.of(torchCpu), "mkl_blas_") ? "MKL"
                : contains(Path.of(torchCpu), "openblas_get_config") ? "OpenBLAS" : "none found";
        return linked + ", linked into " + torchCpu;
    }

    /** Whether the file holds {@code text}: one streaming pass, about a second for libtorch_cpu's 440 MB. */
    static boolean contains(Path file, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[1 << 20];
        int keep = needle.length - 1;
        try (InputStream in = Files.newInputStream(file)) {
            int have = 0;
            for (int n; (n = in.read(buf, have, buf.length - have)) > 0; ) {
                have += n;
                if (indexOf(buf, have, needle) >= 0) {
                    return true;
                }
                int tail = Math.min(keep, have); // a match may straddle two reads
                System.arraycopy(buf, have - tail, buf, 0, tail);
                have = tail;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static int indexOf(byte[] hay, int len, byte[] needle) {
        outer:
        for (int i = 0; i <= len - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
