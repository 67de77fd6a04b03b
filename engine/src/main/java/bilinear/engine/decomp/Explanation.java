package bilinear.engine.decomp;

import bilinear.engine.BadInputException;
import bilinear.linalg.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Why the model gave one input the logits it did. Each logit is a sum of eigenvector activations,
 *
 * <pre>
 *   y_a(x) = Σ_i λ_ai (v_ai·h̃(x))² = Σ_i act_ai(x)
 * </pre>
 * so for the top classes the largest positive activations (features present that vote for the
 * class) and the most negative ones (features present that vote against it) are the explanation,
 * and the terms not shown add up to {@code rest}. An input activates an eigenvector by matching
 * its positive lobes or its negative lobes: the square makes the sign of the projection irrelevant.
 */
public final class Explanation {
    private Explanation() {
    }

    /** One eigenvector's part in a logit: {@code activation = eigenvalue · projection²}. */
    public record Term(int index, double eigenvalue, double projection, double activation) {
    }

    /**
     * @param cls       the class
     * @param logit     the model's logit (its forward pass)
     * @param positive  the largest positive activations, largest first
     * @param negative  the most negative activations, most negative first
     * @param rest      everything else: {@code logit − Σ shown}
     */
    public record ClassExplanation(int cls, double logit, List<Term> positive, List<Term> negative, double rest) {
    }

    public record Result(int predicted, double[] logits, List<ClassExplanation> classes) {
    }

    /** Explains the {@code topClasses} largest logits of one image {@code [D]} with {@code terms} terms per sign. */
    public static Result explain(Decomposer dec, List<Decomposition> classes, float[] image, int topClasses, int terms) {
        int o = classes.size();
        if (topClasses < 1 || topClasses > o) {
            throw new BadInputException("--classes must be 1–" + o + ", got " + topClasses);
        }
        if (terms < 1) {
            throw new BadInputException("--terms must be at least 1, got " + terms);
        }
        if (image.length != dec.config().inputDim()) {
            throw new BadInputException("the image has " + image.length + " pixels, the model expects " + dec.config().inputDim());
        }
        Tensor x = Tensor.wrap(image.clone(), 1, image.length);
        float[] y = dec.logits(x).data();
        double[] logits = new double[o];
        for (int a = 0; a < o; a++) {
            logits[a] = y[a];
        }
        Tensor inputs = dec.layerInputs(dec.topLayer(), x);
        Integer[] byLogit = new Integer[o];
        for (int a = 0; a < o; a++) {
            byLogit[a] = a;
        }
        Arrays.sort(byLogit, (p, q) -> Double.compare(logits[q], logits[p]));
        List<ClassExplanation> out = new ArrayList<>();
        for (int r = 0; r < topClasses; r++) {
            int a = byLogit[r];
            Decomposition d = classes.get(a);
            float[] z = dec.project(d, inputs).data();
            List<Term> all = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) {
                all.add(new Term(i, d.value(i), z[i], d.value(i) * z[i] * (double) z[i]));
            }
            List<Term> pos = all.stream().filter(t -> t.activation() > 0)
                    .sorted((p, q) -> Double.compare(q.activation(), p.activation())).limit(terms).toList();
            List<Term> neg = all.stream().filter(t -> t.activation() < 0)
                    .sorted((p, q) -> Double.compare(p.activation(), q.activation())).limit(terms).toList();
            double shown = pos.stream().mapToDouble(Term::activation).sum() + neg.stream().mapToDouble(Term::activation).sum();
            out.add(new ClassExplanation(a, logits[a], pos, neg, logits[a] - shown));
        }
        return new Result(byLogit[0], logits, out);
    }
}
