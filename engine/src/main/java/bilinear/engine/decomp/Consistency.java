package bilinear.engine.decomp;

import bilinear.engine.BadInputException;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Do two models learn the same features? For every class, each of model A's top-{@code k}
 * eigenvectors (largest |λ|) is matched to the most similar of model B's top-{@code k} in pixel
 * space, where models of different hidden sizes (or seeds) can be compared:
 *
 * <pre>
 *   match_a(i) = max_{j < k} |cos(Eₐᵀ v_ai, E_bᵀ w_aj)|
 * </pre>
 * The absolute value because an eigenvector's sign is a convention. Only the pixel part of an
 * augmented eigenvector is compared.
 */
public final class Consistency {
    private Consistency() {
    }

    /** For one class: the best |cosine| of each of A's top-k eigenvectors, and the index in B it matched. */
    public record ClassMatch(int cls, double[] bestCosine, int[] bestIndex) {
    }

    /** Per class matches, and their mean per rank over classes ({@code meanByRank[0]} is the top-1 figure). */
    public record Result(int k, List<ClassMatch> classes, double[] meanByRank) {
    }

    public static Result compare(Decomposer a, List<Decomposition> da, Decomposer b, List<Decomposition> db, int k) {
        if (!a.pixelSpace() || !b.pixelSpace()) {
            throw new BadInputException("compare needs single-block models, whose eigenvectors live in pixel space "
                    + "(got " + a.config().describe() + " and " + b.config().describe() + ")");
        }
        if (a.config().inputDim() != b.config().inputDim() || a.outputs() != b.outputs()) {
            throw new BadInputException("cannot compare models with different inputs or outputs: " + a.config().describe()
                    + " vs " + b.config().describe());
        }
        int limit = Math.min(da.getFirst().size(), db.getFirst().size());
        if (k < 1 || k > limit) {
            throw new BadInputException("k = " + k + " is out of range: the models have " + limit
                    + " eigenvectors per class to compare (k must be 1–" + limit + ")");
        }
        int d = a.config().inputDim();
        List<ClassMatch> matches = new ArrayList<>();
        double[] mean = new double[k];
        for (int c = 0; c < da.size(); c++) {
            Tensor pa = a.pixelVectors(da.get(c), k), pb = b.pixelVectors(db.get(c), k);
            double[] best = new double[k];
            int[] at = new int[k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double cos = Math.abs(SpectrumStats.cosine(pa.data(), i * d, pb.data(), j * d, d));
                    if (cos > best[i]) {
                        best[i] = cos;
                        at[i] = j;
                    }
                }
                mean[i] += best[i] / da.size();
            }
            matches.add(new ClassMatch(c, best, at));
        }
        return new Result(k, matches, mean);
    }
}
