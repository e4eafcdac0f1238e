package makemore.model.tensor;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * libtorch calls on bare tensor handles, for the MLP's step: the same native functions DJL's {@code JniUtils} calls,
 * without a {@link PtNDArray} around each result. That wrapper (its uid string, its entry in the manager's map, the
 * scope's) costs about 0.5-0.8 us an array at batch 32, against 0.45 us for the whole native call of a view
 * (transpose + delete on handles; per-call CPU time, one thread): a step makes about 20 arrays. DJL's
 * {@code PyTorchLibrary} is package-private, so its methods are looked up once here; a DJL that renames them fails
 * at class initialisation with the name it missed.
 */
public final class Handles {
    private static final MethodHandle MATMUL = find("torchMatmul", long.class, long.class);
    private static final MethodHandle TRANSPOSE = find("torchTranspose", long.class, long.class, long.class);
    private static final MethodHandle RESHAPE = find("torchReshape", long.class, long[].class);
    private static final MethodHandle TANH = find("torchTanh", long.class);
    private static final MethodHandle EXP = find("torchExp", long.class);
    private static final MethodHandle LOG_SOFTMAX = find("torchLogSoftmax", long.class, long.class, int.class);
    private static final MethodHandle MUL = find("torchMul", long.class, long.class);
    private static final MethodHandle ADDI = find("torchAddi", long.class, long.class);
    private static final MethodHandle SUBI = find("torchSubi", long.class, long.class);
    private static final MethodHandle MULI = find("torchMuli", long.class, long.class);
    private static final MethodHandle SGD = find("sgdUpdate", long.class, long.class, long.class, float.class,
            float.class, float.class, float.class, float.class);
    private static final MethodHandle DELETE = find("torchDeleteTensor", long.class);
    private static final int FLOAT32 = DataType.FLOAT32.ordinal(); // DJL's own encoding of the dtype argument

    private Handles() {}

    private static MethodHandle find(String name, Class<?>... params) {
        try {
            Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field instance = lib.getDeclaredField("LIB");
            instance.setAccessible(true);
            Method m = lib.getDeclaredMethod(name, params);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).bindTo(instance.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("DJL's PyTorchLibrary has no " + name + Arrays.toString(params)
                    + ": " + e);
        }
    }

    /** The handle of an array that outlives the calls made on it (a parameter, a batch array). */
    public static long of(PtNDArray a) {
        return (Long) a.getHandle();
    }

    /**
     * The arrays a step makes, deleted together at its end (or when it fails): the handles' counterpart of an
     * NDScope, at the cost of one array store each.
     */
    public static final class Frame implements AutoCloseable {
        private long[] made = new long[32];
        private int count;

        private long keep(long h) {
            if (count == made.length) {
                made = Arrays.copyOf(made, count * 2);
            }
            made[count++] = h;
            return h;
        }

        public long matmul(long a, long b) {
            return keep(call2(MATMUL, a, b));
        }

        /** a^T @ b without materialising the transpose. */
        public long matmulT(long a, long b) {
            return matmul(transpose(a), b);
        }

        public long transpose(long a) {
            try {
                return keep((long) TRANSPOSE.invokeExact(a, 0L, 1L));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        public long reshape(long a, long[] shape) {
            try {
                return keep((long) RESHAPE.invokeExact(a, shape));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        public long tanh(long a) {
            return keep(call1(TANH, a));
        }

        public long exp(long a) {
            return keep(call1(EXP, a));
        }

        /** log_softmax over dimension 1, float32. */
        public long logSoftmax(long a) {
            try {
                return keep((long) LOG_SOFTMAX.invokeExact(a, 1L, FLOAT32));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        public long mul(long a, long b) {
            return keep(call2(MUL, a, b));
        }

        @Override
        public void close() {
            for (int i = 0; i < count; i++) {
                try {
                    DELETE.invokeExact(made[i]);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            }
            count = 0;
        }
    }

    /** a += b, in place. */
    public static void addi(long a, long b) {
        inPlace(ADDI, a, b);
    }

    /** a -= b, in place. */
    public static void subi(long a, long b) {
        inPlace(SUBI, a, b);
    }

    /** a *= b, in place. */
    public static void muli(long a, long b) {
        inPlace(MULI, a, b);
    }

    /** w -= lr * (grad * rescale + decay * w), in place (as {@link Tensors#sgd}). */
    public static void sgd(long w, long grad, double lr, double rescale, double decay) {
        try {
            SGD.invokeExact(w, grad, 0L, (float) lr, (float) decay, (float) rescale, -1f, 0f);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long call1(MethodHandle op, long a) {
        try {
            return (long) op.invokeExact(a);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long call2(MethodHandle op, long a, long b) {
        try {
            return (long) op.invokeExact(a, b);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void inPlace(MethodHandle op, long a, long b) {
        try {
            op.invokeExact(a, b);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
