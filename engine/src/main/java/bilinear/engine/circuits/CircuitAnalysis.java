package bilinear.engine.circuits;

import bilinear.engine.BadInputException;
import bilinear.engine.lm.Transformer;
import bilinear.engine.sae.TopKSae;
import bilinear.engine.text.BpeTokenizer;
import bilinear.linalg.Backend;
import bilinear.linalg.eigen.EigenPairs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The circuit pipeline behind {@code bilinear circuits}: for the MLP of one layer and an SAE at its
 * output (and optionally one at its input), the exactness check, the ranking of output features by
 * their top-2 |λ|, the top-k approximation correlations for k = 1..16, and detailed circuits of the
 * strongest features and of any token directions asked for. Everything in the result is plain
 * data (JSON for {@code --json}, HTML for the report).
 */
public final class CircuitAnalysis {
    private CircuitAnalysis() {
    }

    public record Options(int topFeatures, int detailFeatures, int[] features, String[] tokenWords, int eigenvectors,
                          int contexts, int kmax, int minActive) {
        public static Options defaults() {
            return new Options(20, 3, new int[0], new String[0], 4, 6, 16, 10);
        }
    }

    public record EigenDetail(int index, double lambda, List<TopContexts.Context> contexts, List<TopContexts.TokenScore> tokens) {
    }

    public record Detail(String name, double[] eigenvalues, List<EigenDetail> eigenvectors,
                         List<FeatureCircuits.Interaction> selfInteractions, List<FeatureCircuits.Interaction> crossInteractions,
                         List<TopContexts.Context> strongestContexts, double[] correlationByK) {
    }

    public record Result(String model, int layer, int samples, int features, double exactness, int exactnessFeatures,
                         List<FeatureCircuits.Ranked> ranking, int liveFeatures, double[] medianCorrelationByK,
                         double fractionAbove075AtK2, List<FeatureCircuits.Correlation> correlations, List<Detail> details) {
        public double medianTop2Correlation() {
            return medianCorrelationByK.length > 1 ? medianCorrelationByK[1] : Double.NaN;
        }
    }

    public static Result run(String modelName, Transformer model, BpeTokenizer tokenizer, int layer, TopKSae saeOut, TopKSae saeIn,
                             FeatureCircuits.Samples samples, Options o, Backend backend, java.util.function.Consumer<String> log) {
        MlpInteractions mlp = new MlpInteractions(model, layer, backend);
        if (saeOut == null) {
            return tokensOnly(modelName, model, tokenizer, layer, mlp, samples, o, backend, log);
        }
        FeatureCircuits fc = new FeatureCircuits(mlp, saeOut, saeIn, samples, backend);
        for (int f : o.features()) {
            if (f < 0 || f >= fc.features()) {
                throw new BadInputException("--feature " + f + " outside [0, " + fc.features() + ")");
            }
        }
        log.accept("ranking " + fc.features() + " output features by their top-2 |λ|");
        List<FeatureCircuits.Ranked> ranking = fc.rank();
        int[] live = ranking.stream().filter(r -> r.activeTokens() >= o.minActive()).mapToInt(FeatureCircuits.Ranked::feature).sorted().toArray();
        int[] check = Arrays.copyOf(ranking.stream().mapToInt(FeatureCircuits.Ranked::feature).toArray(), Math.min(16, ranking.size()));
        double exact = fc.exactness(check);
        log.accept(String.format("exactness over %d features × %d tokens: max relative error %.2e", check.length,
                samples.inputs().rows(), exact));
        log.accept("correlating top-k approximations for " + live.length + " live features");
        List<FeatureCircuits.Correlation> correlations = fc.correlations(live, o.kmax(), o.minActive());
        int kmax = Math.min(o.kmax(), mlp.width());
        double[] median = new double[kmax];
        for (int k = 0; k < kmax; k++) {
            final int kk = k;
            median[k] = FeatureCircuits.median(correlations.stream().mapToDouble(c -> c.byK()[kk]).toArray());
        }
        long above = correlations.stream().filter(c -> c.byK().length > 1 && c.byK()[1] > 0.75).count();
        double fraction = correlations.isEmpty() ? Double.NaN : above / (double) correlations.size();

        List<Detail> details = new ArrayList<>();
        Set<Integer> chosen = new LinkedHashSet<>();
        for (int f : o.features()) {
            chosen.add(f);
        }
        for (FeatureCircuits.Ranked r : ranking) {
            if (chosen.size() >= o.features().length + o.detailFeatures()) {
                break;
            }
            if (r.activeTokens() >= o.minActive()) {
                chosen.add(r.feature());
            }
        }
        for (int f : chosen) {
            EigenPairs e = mlp.eigen(fc.direction(f));
            List<FeatureCircuits.Interaction> self = List.of(), cross = List.of();
            if (saeIn != null) {
                List<List<FeatureCircuits.Interaction>> ia = fc.inputInteractions(f, 8);
                self = ia.get(0);
                cross = ia.get(1);
            }
            List<TopContexts.Context> strongest = new ArrayList<>();
            for (double[] row : fc.strongest(f, o.contexts())) {
                int t = (int) row[0], pos = samples.positions()[t];
                int from = Math.max(0, pos - 24), to = Math.min(samples.stream().length, pos + 6);
                strongest.add(new TopContexts.Context(pos, row[1], tokenizer.decode(samples.stream(), from, pos),
                        tokenizer.decode(samples.stream(), pos, pos + 1), tokenizer.decode(samples.stream(), pos + 1, to)));
            }
            FeatureCircuits.Correlation corr = correlations.stream().filter(c -> c.feature() == f).findFirst().orElse(null);
            details.add(new Detail("output feature " + f, top(e, 16), eigenDetails(e, o, samples, model, tokenizer, backend),
                    self, cross, strongest, corr == null ? null : corr.byK()));
        }
        details.addAll(tokenDetails(mlp, o, samples, model, tokenizer, backend));
        return new Result(modelName, layer, samples.inputs().rows(), fc.features(), exact, check.length,
                ranking.subList(0, Math.min(o.topFeatures(), ranking.size())), live.length, median, fraction, correlations, details);
    }

    /** Without SAEs: the token directions asked for, checked for exactness against the MLP outputs. */
    private static Result tokensOnly(String modelName, Transformer model, BpeTokenizer tokenizer, int layer, MlpInteractions mlp,
                                     FeatureCircuits.Samples samples, Options o, Backend backend, java.util.function.Consumer<String> log) {
        if (o.tokenWords().length == 0) {
            throw new BadInputException("nothing to analyse: give --sae-out (output features) and/or --token WORD (token directions)");
        }
        double exact = 0;
        for (String word : o.tokenWords()) {
            exact = Math.max(exact, mlp.exactness(mlp.tokenDirection(singleToken(tokenizer, word)), samples.inputs(), samples.outputs()));
        }
        log.accept(String.format("exactness over %d token directions × %d tokens: max relative error %.2e", o.tokenWords().length,
                samples.inputs().rows(), exact));
        return new Result(modelName, layer, samples.inputs().rows(), 0, exact, o.tokenWords().length, List.of(), 0, new double[0],
                Double.NaN, List.of(), tokenDetails(mlp, o, samples, model, tokenizer, backend));
    }

    private static int singleToken(BpeTokenizer tokenizer, String word) {
        int[] ids = tokenizer.encode(word);
        if (ids.length != 1) {
            throw new BadInputException("--token '" + word + "' is " + ids.length + " tokens; pick a single token (mind the leading space)");
        }
        return ids[0];
    }

    private static List<Detail> tokenDetails(MlpInteractions mlp, Options o, FeatureCircuits.Samples samples, Transformer model,
                                             BpeTokenizer tokenizer, Backend backend) {
        List<Detail> out = new ArrayList<>();
        for (String word : o.tokenWords()) {
            EigenPairs e = mlp.eigen(mlp.tokenDirection(singleToken(tokenizer, word)));
            out.add(new Detail("token \"" + word + "\" vs the rest", top(e, 16), eigenDetails(e, o, samples, model, tokenizer, backend),
                    List.of(), List.of(), List.of(), null));
        }
        return out;
    }

    private static double[] top(EigenPairs e, int k) {
        return Arrays.copyOf(e.values(), Math.min(k, e.n()));
    }

    private static List<EigenDetail> eigenDetails(EigenPairs e, Options o, FeatureCircuits.Samples samples, Transformer model,
                                                  BpeTokenizer tokenizer, Backend backend) {
        List<EigenDetail> out = new ArrayList<>();
        for (int i = 0; i < Math.min(o.eigenvectors(), e.n()); i++) {
            out.add(new EigenDetail(i, e.value(i), TopContexts.contexts(e, i, samples, o.contexts(), 24, tokenizer, backend),
                    TopContexts.directTokens(e, i, model, 10, tokenizer, backend)));
        }
        return out;
    }
}
