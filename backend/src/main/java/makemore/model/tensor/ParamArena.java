package makemore.model.tensor;

import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@link AutogradModel}'s parameters as views into one flat array (more only past {@link #ARENA} floats), so
 * the optimizer updates them all in one native call instead of one per parameter.
 */
public final class ParamArena {
    public static final int ARENA = 1 << 20;

    private final PtNDManager manager;
    private final List<String> names = new ArrayList<>();
    private final List<PtNDArray> params = new ArrayList<>();
    private final List<PtNDArray> arenas = new ArrayList<>();
    private final List<Integer> arenaUsed = new ArrayList<>();
    private final List<Integer> arenaOf = new ArrayList<>(); // each parameter's arena
    private List<PtNDArray[]> gradViews; // per arena: its parameters' gradients, flat, made at the first gather

    public ParamArena(PtNDManager manager) {
        this.manager = manager;
    }

    /** Kept across steps: a step's NDScope must not close it. */
    public static PtNDArray keep(PtNDArray a) {
        NDScope.unregister(a);
        return a;
    }

    public PtNDArray add(String name, float[] values, long... shape) {
        int a = arenas.size() - 1;
        if (a < 0 || arenaUsed.get(a) + values.length > arenas.get(a).size()) {
            arenas.add(keep((PtNDArray) manager.zeros(new Shape(Math.max(ARENA, values.length)))));
            arenaUsed.add(0);
            a++;
        }
        int from = arenaUsed.get(a);
        PtNDArray p = keep(Tensors.reshape(JniUtils.slice(arenas.get(a), 0, from, from + values.length, 1), shape));
        Tensors.assign(p, values);
        JniUtils.attachGradient(p, true);
        arenaUsed.set(a, from + values.length);
        arenaOf.add(a);
        names.add(name);
        params.add(p);
        return p;
    }

    public List<PtNDArray> parameters() {
        return Collections.unmodifiableList(params);
    }

    public List<String> names() {
        return Collections.unmodifiableList(names);
    }

    /** One [used] view per arena: what the optimizer updates. */
    public List<PtNDArray> flatViews() {
        List<PtNDArray> flat = new ArrayList<>();
        for (int a = 0; a < arenas.size(); a++) {
            flat.add(keep(JniUtils.slice(arenas.get(a), 0, 0, arenaUsed.get(a), 1)));
        }
        return flat;
    }

    /**
     * Each arena's gradients as one flat array, in the arena's order. Once a parameter has a gradient, libtorch
     * accumulates every later backward into that same tensor (zeroGrad zeroes it in place), so each gradient's flat
     * view is made once, at the first call, and a step only concatenates them: one native call per arena instead
     * of two per parameter (measured: 0.5-1.0 ms a step for the transformer's 53 parameters, against 0.1-0.2 ms).
     */
    public List<PtNDArray> flatGradients() {
        if (gradViews == null) {
            List<List<PtNDArray>> parts = new ArrayList<>();
            for (int a = 0; a < arenas.size(); a++) {
                parts.add(new ArrayList<>());
            }
            for (int i = 0; i < params.size(); i++) {
                PtNDArray g = JniUtils.getGradient(params.get(i));
                if (g == null) {
                    throw new IllegalStateException("parameter " + names.get(i) + " got no gradient");
                }
                parts.get(arenaOf.get(i)).add(keep(Tensors.reshape(g, -1)));
            }
            gradViews = new ArrayList<>();
            for (List<PtNDArray> p : parts) {
                gradViews.add(p.toArray(new PtNDArray[0]));
            }
        }
        List<PtNDArray> out = new ArrayList<>();
        for (PtNDArray[] views : gradViews) {
            out.add(JniUtils.cat(views, 0));
        }
        return out;
    }
}
