package bilinear.engine.circuits;

import bilinear.engine.text.BpeTokenizer;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import bilinear.linalg.eigen.EigenPairs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What drives an eigenvector: the dataset tokens whose MLP input activates it most
 * ({@code λ (v·m)²} largest in magnitude, shown in context), and the vocabulary tokens that
 * activate it through the direct path (the token's own normalised embedding as MLP input,
 * ignoring attention).
 */
public final class TopContexts {
    private TopContexts() {
    }

    /** One highlighted occurrence: the text before, the token, the text after, and its activation. */
    public record Context(int position, double activation, String before, String token, String after) {
    }

    public record TokenScore(int token, String text, double activation) {
    }

    public static List<Context> contexts(EigenPairs e, int eigen, FeatureCircuits.Samples s, int top, int window,
                                         BpeTokenizer tokenizer, Backend backend) {
        Tensor p = EigenActivations.projections(e, eigen, 1, s.inputs(), backend);
        double lambda = e.value(eigen);
        int n = p.rows();
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer t) -> -Math.abs(lambda * sq(p.data()[t]))).thenComparingInt(t -> t));
        List<Context> out = new ArrayList<>();
        for (int i = 0; i < Math.min(top, n); i++) {
            int t = order[i], pos = s.positions()[t];
            int from = Math.max(0, pos - window), to = Math.min(s.stream().length, pos + 1 + window / 4);
            out.add(new Context(pos, lambda * sq(p.data()[t]), tokenizer.decode(s.stream(), from, pos),
                    tokenizer.decode(s.stream(), pos, pos + 1), tokenizer.decode(s.stream(), pos + 1, to)));
        }
        return out;
    }

    public static List<TokenScore> directTokens(EigenPairs e, int eigen, bilinear.engine.lm.Transformer model, int top,
                                                BpeTokenizer tokenizer, Backend backend) {
        Tensor emb = model.embedding();
        Tensor normed = Tensor.zeros(emb.rows(), emb.cols());
        Tensor inv = Tensor.zeros(emb.rows());
        if (model.config().norm()) {
            backend.rmsNorm(emb, bilinear.engine.ops.RmsNorm.DEFAULT_EPS, normed, inv);
        } else {
            backend.axpby(1f, emb, 0f, normed);
        }
        Tensor p = EigenActivations.projections(e, eigen, 1, normed, backend);
        double lambda = e.value(eigen);
        Integer[] order = IntStream.range(0, emb.rows()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer t) -> -sq(p.data()[t])).thenComparingInt(t -> t));
        List<TokenScore> out = new ArrayList<>();
        for (int i = 0; i < Math.min(top, order.length); i++) {
            int t = order[i];
            out.add(new TokenScore(t, tokenizer.token(t), lambda * sq(p.data()[t])));
        }
        return out;
    }

    private static double sq(float x) {
        return (double) x * x;
    }
}
