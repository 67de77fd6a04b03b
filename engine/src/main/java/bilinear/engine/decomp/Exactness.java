package bilinear.engine.decomp;

import bilinear.engine.data.ImageDataset;
import bilinear.linalg.Tensor;
import java.util.List;

/**
 * The check that the decomposition is the model, not an approximation of it: over a dataset,
 *
 * <pre>
 *   error = max_{x, a} | Σ_i λ_ai (v_ai·h̃(x))² − u_a·y(x) |,   relative = error / max_{x, a} |u_a·y(x)|
 * </pre>
 * where {@code y(x)} comes from the model's own forward pass and {@code h̃(x)} is the input of the
 * block that was decomposed. Float32 weights and products bound what "exact" can mean: the
 * relative error sits near float rounding (about 1e-6), far below anything that could be a
 * modelling error.
 */
public final class Exactness {
    private Exactness() {
    }

    /** Images per pass; bounds the memory of the projections. */
    static final int BATCH = 2000;

    /**
     * @param maxAbsError  the largest |reconstruction − logit|
     * @param maxAbsLogit  the largest |logit| (along the decomposed directions)
     * @param samples      images checked
     * @param directions   directions checked
     */
    public record Result(double maxAbsError, double maxAbsLogit, int samples, int directions) {
        public double relative() {
            return maxAbsLogit == 0 ? maxAbsError : maxAbsError / maxAbsLogit;
        }
    }

    /** Checks the top-block decompositions of {@code directions} (same order) on every image of {@code data}. */
    public static Result check(Decomposer dec, List<OutputDirection> directions, List<Decomposition> decompositions,
                               ImageDataset data) {
        if (directions.size() != decompositions.size()) {
            throw new IllegalArgumentException(directions.size() + " directions but " + decompositions.size() + " decompositions");
        }
        int d = data.features(), n = data.size();
        double maxErr = 0, maxLogit = 0;
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            Tensor x = Tensor.zeros(count, d);
            data.copyImages(from, count, x.data(), 0);
            Tensor logits = dec.logits(x);                               // [B, O]
            Tensor inputs = dec.layerInputs(dec.topLayer(), x);          // [B, N]
            for (int k = 0; k < directions.size(); k++) {
                double[] u = directions.get(k).vector();
                Decomposition dk = decompositions.get(k);
                double[] recon = reconstruct(dk, dec.project(dk, inputs));
                for (int b = 0; b < count; b++) {
                    double target = 0;
                    for (int a = 0; a < u.length; a++) {
                        target += u[a] * logits.data()[b * u.length + a];
                    }
                    maxErr = Math.max(maxErr, Math.abs(recon[b] - target));
                    maxLogit = Math.max(maxLogit, Math.abs(target));
                }
            }
        }
        return new Result(maxErr, maxLogit, n, directions.size());
    }

    /** {@code Σ_i λ_i z[b, i]²} for every row of the projections {@code z [B, N]}, summed in double. */
    static double[] reconstruct(Decomposition d, Tensor z) {
        int rows = z.rows(), n = d.size();
        double[] lambda = d.values();
        double[] out = new double[rows];
        float[] zd = z.data();
        for (int b = 0; b < rows; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double zi = zd[b * n + i];
                sum += lambda[i] * zi * zi;
            }
            out[b] = sum;
        }
        return out;
    }
}
