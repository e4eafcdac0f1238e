package makemore.model.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Parameter arrays to a small file of shapes and float32 values (engine independent), written atomically.
 * A checkpoint ("MML2") adds a few counters after the arrays, for training state such as optimizer steps.
 */
public final class ParamFile {
    private static final int MAGIC = 0x4d4d4c31; // "MML1"
    private static final int CHECKPOINT = 0x4d4d4c32; // "MML2": arrays, then counters

    private ParamFile() {}

    public static void save(Path file, List<? extends NDArray> params) throws IOException {
        save(file, params, null);
    }

    /** Arrays and, when {@code counters} is not null, the counters after them. */
    public static void save(Path file, List<? extends NDArray> params, long[] counters) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(counters == null ? MAGIC : CHECKPOINT);
            out.writeInt(params.size());
            for (NDArray p : params) {
                long[] shape = p.getShape().getShape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                for (float v : p.toFloatArray()) {
                    out.writeFloat(v);
                }
            }
            if (counters != null) {
                out.writeInt(counters.length);
                for (long c : counters) {
                    out.writeLong(c);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Overwrites the given arrays in place; shapes must match what the model was built with. */
    public static void load(Path file, List<? extends NDArray> params) throws IOException {
        load(file, params, 0);
    }

    /**
     * Overwrites the arrays in place and returns the {@code counters} counters saved after them (a checkpoint
     * of this model); with {@code counters} 0, reads a plain parameter file.
     */
    public static long[] load(Path file, List<? extends NDArray> params, int counters) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != (counters == 0 ? MAGIC : CHECKPOINT) || in.readInt() != params.size()) {
                throw new IOException(file + " is not a parameter file of this model");
            }
            for (NDArray p : params) {
                long[] shape = new long[in.readInt()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = in.readLong();
                }
                if (!new Shape(shape).equals(p.getShape())) {
                    throw new IOException(file + " holds shape " + new Shape(shape) + " where the model has " + p.getShape());
                }
                float[] v = new float[Math.toIntExact(p.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                Tensors.assign((ai.djl.pytorch.engine.PtNDArray) p, v); // in place: parameters may be views
            }
            long[] c = new long[counters];
            if (counters > 0) {
                if (in.readInt() != counters) {
                    throw new IOException(file + " holds other training state than this model");
                }
                for (int i = 0; i < counters; i++) {
                    c[i] = in.readLong();
                }
            }
            return c;
        }
    }
}
