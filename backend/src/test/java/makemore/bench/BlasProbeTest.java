package makemore.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import makemore.model.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlasProbeTest {
    @TempDir
    Path dir;

    /** The BLAS line is read off the loaded libtorch, not written in: this build's libtorch_cpu carries MKL. */
    @Test
    void namesTheBlasInsideTheLoadedLibtorch() {
        try (var m = Tensors.newManager()) {
            m.ones(new ai.djl.ndarray.types.Shape(2, 2)); // libtorch is loaded
        }
        String blas = BlasProbe.describe();
        assertTrue(blas.startsWith("MKL") && blas.contains("libtorch_cpu"), blas);
    }

    /** ./lab's MKL shim for AMD (mkl-amd.so) is mapped beside libtorch on AMD machines: it is not the BLAS. */
    @Test
    void theMklShimIsNotTakenForTheBlas() throws Exception {
        Path torch = dir.resolve("libtorch_cpu.so");
        Files.write(torch, "..openblas_get_config..".getBytes());
        String blas = BlasProbe.describe(java.util.List.of(
                "7f00-7f01 r-xp 00000000 08:01 12 " + dir.resolve("mkl-amd.so"),
                "7f02-7f03 r-xp 00000000 08:01 13 " + torch));
        assertTrue(blas.startsWith("OpenBLAS, linked into") && !blas.contains("mkl-amd"), blas);
    }

    @Test
    void findsTextAcrossReadBoundaries() throws Exception {
        byte[] b = new byte[(1 << 20) + 10];
        byte[] t = "mkl_blas_x".getBytes();
        System.arraycopy(t, 0, b, (1 << 20) - 4, t.length); // straddles the first 1 MB read
        Path f = dir.resolve("lib.so");
        Files.write(f, b);
        assertTrue(BlasProbe.contains(f, "mkl_blas_"));
        assertFalse(BlasProbe.contains(f, "openblas_get_config"));
    }
}
