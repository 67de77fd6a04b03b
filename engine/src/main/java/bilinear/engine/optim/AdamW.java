package bilinear.engine.optim;

import bilinear.engine.autograd.Parameter;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW with decoupled weight decay, step for step the update of {@code torch.optim.AdamW}
 * (see {@link Backend#adamw}). Parameters that received no gradient in a step are skipped, as
 * PyTorch skips parameters whose {@code .grad} is None. Optional global-norm gradient clipping
 * scales every gradient by {@code min(1, maxNorm / ‖g‖₂)} before the update.
 */
public final class AdamW {
    public record Settings(float beta1, float beta2, float eps, float weightDecay, float clipNorm) {
        /** PyTorch's defaults with the given weight decay; clipping off. */
        public static Settings of(float weightDecay) {
            return new Settings(0.9f, 0.999f, 1e-8f, weightDecay, 0f);
        }
    }

    private final Settings settings;
    private final Map<String, Tensor> firstMoment = new LinkedHashMap<>();
    private final Map<String, Tensor> secondMoment = new LinkedHashMap<>();
    private long step;

    public AdamW(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Number of updates done so far (PyTorch's {@code state['step']}). */
    public long stepCount() {
        return step;
    }

    /**
     * One update of every parameter with learning rate {@code lr}; clears their gradients.
     * Returns the global gradient norm before clipping.
     */
    public double step(Backend be, List<Parameter> params, float lr) {
        double sumSq = 0;
        for (Parameter p : params) {
            if (p.hasGrad()) {
                sumSq += be.sumSquares(p.grad());
            }
        }
        double norm = Math.sqrt(sumSq);
        float scale = 1f;
        if (settings.clipNorm() > 0 && norm > settings.clipNorm()) {
            scale = (float) (settings.clipNorm() / (norm + 1e-6));
        }
        step++;
        Backend.AdamWStep s = new Backend.AdamWStep(lr, settings.beta1(), settings.beta2(), settings.eps(),
                settings.weightDecay(), (float) (1 - Math.pow(settings.beta1(), step)),
                (float) (1 - Math.pow(settings.beta2(), step)));
        for (Parameter p : params) {
            if (!p.hasGrad()) {
                continue;
            }
            Tensor m = firstMoment.computeIfAbsent(p.name(), k -> Tensor.zeros(p.value().shape()));
            Tensor v = secondMoment.computeIfAbsent(p.name(), k -> Tensor.zeros(p.value().shape()));
            be.adamw(p.value(), p.grad(), scale, m, v, s);
            p.clearGrad();
        }
        return norm;
    }

    /** The optimizer state as named tensors ({@code exp_avg.NAME}, {@code exp_avg_sq.NAME}). */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        firstMoment.forEach((k, v) -> out.put("exp_avg." + k, v));
        secondMoment.forEach((k, v) -> out.put("exp_avg_sq." + k, v));
        return out;
    }

    /** Restores {@link #state()} and the step count, checking shapes against the parameters. */
    public void restore(Map<String, Tensor> state, long steps, List<Parameter> params) {
        firstMoment.clear();
        secondMoment.clear();
        for (Parameter p : params) {
            Tensor m = state.get("exp_avg." + p.name()), v = state.get("exp_avg_sq." + p.name());
            if (m == null || v == null) {
                continue;  // never updated (no gradient yet)
            }
            if (!m.shape().equals(p.value().shape()) || !v.shape().equals(p.value().shape())) {
                throw new bilinear.engine.BadInputException("optimizer state for " + p.name() + " has shape "
                        + m.shape() + ", the parameter " + p.value().shape());
            }
            firstMoment.put(p.name(), m);
            secondMoment.put(p.name(), v);
        }
        this.step = steps;
    }
}
