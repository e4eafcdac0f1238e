package makemore.model.autograd;

import makemore.model.tensor.Tensors;
import makemore.event.Health;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import makemore.optim.Optimizer;

/**
 * {@link Health} for any {@link AutogradModel}. One training-mode forward and backward on a batch drawn apart from
 * the training batches. A tapped layer's output gets a zero "probe" added, a leaf that requires a gradient, so
 * autograd hands back dL/d(output) without retaining intermediate gradients. The update:data ratio is that of the
 * update the run's own optimizer (SGD or AdamW, with clipping, at the latest learning rate) makes from this
 * gradient: the update is applied, measured and undone, parameters and optimizer state restored exactly.
 */
final class AutogradHealth {
    /** Rows of the batch measured: the run's batch, at most this many. */
    static final int MAX_ROWS = 1024;

    record Tap(String name, String kind, PtNDArray out, PtNDArray probe) {}

    private AutogradHealth() {}

    static PtNDArray tap(List<Tap> taps, String name, String kind, PtNDArray out) {
        PtNDArray probe = JniUtils.zerosLike(out, out.getDataType(), out.getDevice(), out.getSparseFormat());
        JniUtils.attachGradient(probe, true);
        taps.add(new Tap(name, kind, out, probe));
        return JniUtils.add(out, probe);
    }

    static Health measure(AutogradModel m, double lr) {
        List<PtNDArray> params = m.parameters();
        List<String> names = m.parameterNames();
        try (NDScope scope = new NDScope()) {
            List<Tap> taps = new ArrayList<>();
            Batch in = m.healthPass(taps, MAX_ROWS);
            Map<String, List<Tap>> byName = new LinkedHashMap<>();
            for (Tap t : taps) {
                byName.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(t);
            }
            List<Health.Layer> layers = new ArrayList<>();
            List<Health.Histogram> histograms = new ArrayList<>();
            for (List<Tap> layer : byName.values()) {
                Tap t = layer.get(0);
                PtNDArray outs = joined(layer, in, Tap::out);
                float[] out = outs.toFloatArray();
                float[] grad = joined(layer, in, AutogradHealth::gradient).toFloatArray();
                long[] shape = outs.getShape().getShape();
                layers.add(Health.layer(t.name(), t.kind(), out, grad, (int) shape[shape.length - 1]));
                histograms.add(Health.histogram(t.name(), "activation", out, t.kind().equals("tanh")));
                histograms.add(Health.histogram(t.name(), "gradient", grad, false));
            }
            List<PtNDArray> grads = new ArrayList<>(params.size());
            for (PtNDArray p : params) {
                PtNDArray g = JniUtils.getGradient(p);
                grads.add(g == null ? JniUtils.zerosLike(p, p.getDataType(), p.getDevice(), p.getSparseFormat())
                        : JniUtils.clone(g));
            }
            float[][] before = new float[params.size()][];
            for (int i = 0; i < params.size(); i++) {
                before[i] = params.get(i).toFloatArray();
            }
            float[][] after;
            try {
                after = applyAndUndo(m, params, lr);
            } finally {
                for (PtNDArray p : params) {
                    if (JniUtils.getGradient(p) != null) {
                        JniUtils.zeroGrad(p); // the next training step must start from zero, as it always does
                    }
                }
            }
            List<Health.Weight> weights = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i).getShape().dimension() != 2) {
                    continue; // biases and norm gains: the lecture plots the weight matrices
                }
                float[] update = new float[before[i].length];
                for (int j = 0; j < update.length; j++) {
                    update[j] = before[i][j] - after[i][j];
                }
                weights.add(Health.weight(names.get(i), params.get(i).getShape().getShape(), before[i],
                        grads.get(i).toFloatArray(), update));
            }
            return new Health(layers, weights, histograms);
        }
    }

    private static PtNDArray gradient(Tap t) {
        PtNDArray g = JniUtils.getGradient(t.probe());
        return g != null ? g : JniUtils.zerosLike(t.out(), t.out().getDataType(), t.out().getDevice(),
                t.out().getSparseFormat());
    }

    /**
     * One tap as it is; a layer tapped at each position of the grid ([B, 1, D] each) as the [N, D] rows of the real
     * positions: the padding cells' outputs are never read, so their gradients are 0 and would only dilute.
     */
    private static PtNDArray joined(List<Tap> layer, Batch in, Function<Tap, PtNDArray> part) {
        if (layer.size() == 1) {
            return part.apply(layer.get(0));
        }
        if (layer.size() != in.length || in.tokens == null) {
            throw new IllegalStateException(layer.get(0).name() + ": tapped " + layer.size() + " times; only a"
                    + " sequence model may tap one name, once per position (" + in.length + ")");
        }
        PtNDArray[] cells = new PtNDArray[layer.size()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = part.apply(layer.get(i));
        }
        return in.fromGrid(JniUtils.cat(cells, 1));
    }

    /** The parameters after one optimizer step from their gradients; everything the step changed then put back. */
    private static float[][] applyAndUndo(AutogradModel m, List<PtNDArray> params, double lr) {
        List<PtNDArray> state = m.healthState();
        List<float[]> saved = new ArrayList<>(state.size());
        for (PtNDArray a : state) {
            saved.add(a.toFloatArray());
        }
        Optimizer opt = m.healthOptimizer();
        long steps = opt.steps();
        float[][] after = new float[params.size()][];
        try {
            m.healthUpdate(lr);
            for (int i = 0; i < params.size(); i++) {
                after[i] = params.get(i).toFloatArray();
            }
        } finally {
            for (int i = 0; i < state.size(); i++) {
                Tensors.assign(state.get(i), saved.get(i)); // in place: the parameters are views of this storage
            }
            opt.setSteps(steps);
        }
        return after;
    }
}
