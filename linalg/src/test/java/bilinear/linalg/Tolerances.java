package bilinear.linalg;

import java.util.Map;

/**
 * Relative tolerances of every backend against the scalar reference, one entry per op. Start
 * tight; loosen only with a comment saying why.
 */
final class Tolerances {
    private Tolerances() {
    }

    static final Map<String, Double> RELATIVE = Map.ofEntries(
            // float accumulation in a different order (packed panels, FMA's single rounding):
            // error grows like sqrt(k)·ε; k ≤ 600 in the suite.
            Map.entry("gemm", 2e-5),
            Map.entry("gemmBatched", 2e-5),
            Map.entry("axpby", 1e-6),
            Map.entry("add", 0.0),
            Map.entry("addRowVector", 0.0),
            Map.entry("fill", 0.0),
            Map.entry("addScalar", 0.0),
            Map.entry("dot", 1e-6),
            // the vector exp/tanh (SVML) are within a few ulp of the double-precision reference
            Map.entry("glu", 1e-6),
            Map.entry("gluBackward", 2e-6),
            // log/cos in float (vector) vs double (reference); values up to ~5σ
            Map.entry("addGaussianNoise", 2e-6),
            // float lanes vs one double accumulator over up to 600 rows
            Map.entry("sumRows", 1e-5),
            Map.entry("sumSquares", 1e-6),
            Map.entry("sum", 1e-6),
            Map.entry("rmsNorm", 2e-6),
            Map.entry("rmsNormBackward", 5e-6),
            Map.entry("softmaxRows", 2e-6),
            Map.entry("softmaxCrossEntropy", 2e-6),
            Map.entry("adamw", 2e-6),
            // pure data movement
            Map.entry("gatherRows", 0.0),
            Map.entry("scatterAddRows", 0.0),
            Map.entry("mergeHeads", 0.0),
            Map.entry("splitHeads", 0.0),
            // one multiply-add per element, vector lanes vs scalar: identical rounding
            Map.entry("ropeSplitHeads", 1e-7),
            Map.entry("ropeSplitHeadsBackward", 1e-7),
            // float exp and sums over a row of up to 257 vs double reference
            Map.entry("causalSoftmax", 2e-6),
            Map.entry("causalSoftmaxBackward", 2e-6),
            // selection and masking: exact
            Map.entry("topKRows", 0.0),
            Map.entry("topKBackward", 0.0));

    static double of(String op) {
        Double t = RELATIVE.get(op);
        if (t == null) {
            throw new IllegalArgumentException("no tolerance for op " + op);
        }
        return t;
    }
}
