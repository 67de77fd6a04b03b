package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Additive Gaussian noise for training: {@code y = x + s·ε}, ε ~ N(0, 1) from the counter-based
 * generator (element i of the stream {@code seed}), so a step's noise depends only on its seed.
 *
 * <ul>
 *   <li>Input noise: {@code s = std}, a constant (the paper's 0.33–0.5 on [0, 1] pixels, no clamping).
 *   <li>Latent noise: {@code s = k·σ(x)}, σ the unbiased standard deviation of the whole tensor
 *       in this step (the paper's {@code x += 0.33·std(x)·N(0,1)} after each bilinear layer). As
 *       in PyTorch's {@code x + k·x.std()·randn_like(x)}, the gradient flows through σ too.
 * </ul>
 *
 * <pre>
 *   input noise:   ∂L/∂x = g                                  (g = ∂L/∂y)
 *   latent noise:  ∂L/∂x = g + c·(x − μ),  c = Σᵢ gᵢ(yᵢ − xᵢ) / ((N − 1)·σ²)
 * </pre>
 * (from ∂σ/∂xⱼ = (xⱼ − μ)/((N−1)σ) and yᵢ − xᵢ = kσεᵢ). Shapes: any; {@code y} has {@code x}'s
 * shape. The input gradient is written with the tape's beta.
 */
public final class GaussianNoise implements Op {
    private final Variable x;
    private final Variable y;
    /** Latent noise only: the mean and variance of x; NaN for input noise. */
    private final double mean;
    private final double variance;

    private GaussianNoise(Variable x, Variable y, double mean, double variance) {
        this.x = x;
        this.y = y;
        this.mean = mean;
        this.variance = variance;
    }

    /** {@code y = x + std·ε}. */
    public static Variable input(Tape tape, Variable x, float std, long seed) {
        return apply(tape, x, std, seed, Double.NaN, Double.NaN);
    }

    /** {@code y = x + scale·std(x)·ε}. */
    public static Variable latent(Tape tape, Variable x, float scale, long seed) {
        Backend be = tape.backend();
        Tensor v = x.value();
        int n = v.size();
        double mean = be.sum(v) / n;
        double var = n > 1 ? (be.sumSquares(v) - n * mean * mean) / (n - 1) : 0;
        var = Math.max(var, 0);
        return apply(tape, x, (float) (scale * Math.sqrt(var)), seed, mean, var);
    }

    private static Variable apply(Tape tape, Variable x, float std, long seed, double mean, double variance) {
        Tensor out = tape.buffer(x.value().shape());
        tape.backend().addGaussianNoise(x.value(), std, seed, out);
        Variable y = tape.result(out, x);
        tape.record(new GaussianNoise(x, y, mean, variance));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) {
            return;
        }
        Backend be = tape.backend();
        Tensor g = tape.grad(y);
        float beta = tape.gradBeta(x);
        Tensor dx = tape.grad(x);
        be.axpby(1f, g, beta, dx);
        int n = x.value().size();
        if (!Double.isNaN(variance) && variance > 0 && n > 1) {
            double c = (be.dot(g, y.value()) - be.dot(g, x.value())) / ((n - 1) * variance);
            be.axpby((float) c, x.value(), 1f, dx);
            be.addScalar(dx, (float) (-c * mean));
        }
    }

    @Override
    public Variable output() {
        return y;
    }
}
