package makemore.model;

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

/** Parameter arrays to a small file of shapes and float32 values (engine independent), written atomically. */
final class Params {
    private static final int MAGIC = 0x4d4d4c31; // "MML1"

    private Params() {}

    static void save(Path file, List<NDArray> params) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
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
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Overwrites the given arrays in place; shapes must match what the model was built with. */
    static void load(Path file, List<NDArray> params) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != params.size()) {
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
                p.set(v);
            }
        }
    }
}
