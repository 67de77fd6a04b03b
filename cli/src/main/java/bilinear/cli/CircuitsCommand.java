package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.circuits.CircuitAnalysis;
import bilinear.engine.circuits.CircuitReport;
import bilinear.engine.circuits.FeatureCircuits;
import bilinear.engine.io.OutputFolder;
import bilinear.engine.lm.LmCheckpoint;
import bilinear.engine.lm.TokenData;
import bilinear.engine.sae.Activations;
import bilinear.engine.sae.SaeCheckpoint;
import bilinear.engine.sae.Site;
import bilinear.engine.sae.TopKSae;
import bilinear.engine.text.Corpus;
import bilinear.linalg.Backend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear circuits}: feature circuits of a language model's bilinear MLP, from its weights. */
@Command(name = "circuits", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Read circuits from a bilinear MLP's weights: for output SAE features (and token directions),",
                "Q(u) with respect to the MLP input, its eigenvectors, the input-SAE features that interact to produce it,",
                "the ranking of all output features by their top-2 |λ|, and how well the top-k eigenvectors explain each",
                "feature on the tokens where it is active. Writes an HTML report folder with --report."})
public final class CircuitsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a language-model checkpoint (bilinear MLP)")
    Path model;

    @Option(names = "--layer", paramLabel = "L", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
    int layer;

    @Option(names = "--sae-out", paramLabel = "FILE", description = "SAE at the layer's MLP output: its features are the outputs")
    Path saeOut;

    @Option(names = "--sae-in", paramLabel = "FILE", description = "SAE at the layer's MLP input: its features are the inputs")
    Path saeIn;

    @Option(names = "--feature", paramLabel = "J", description = "an output feature to detail (repeatable)")
    int[] features = new int[0];

    @Option(names = "--token", paramLabel = "WORD", description = "a token direction to detail, e.g. ' Lord' (repeatable)")
    String[] tokens = new String[0];

    @Option(names = "--samples", paramLabel = "N", defaultValue = "32768",
            description = "held-out tokens for contexts and correlations (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--detail", paramLabel = "N", defaultValue = "3", description = "top-ranked features to detail (default: ${DEFAULT-VALUE})")
    int detail;

    @Option(names = "--report", paramLabel = "DIR", description = "write the HTML report folder here")
    Path report;

    @Option(names = "--force", description = "replace an existing report folder")
    boolean force;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        if (samples < 1) {
            throw new BadInputException("--samples must be positive");
        }
        LmCheckpoint.Loaded lm = LmCheckpoint.load(model, null);
        if (layer < 0 || layer >= lm.model().config().layers()) {
            throw new BadInputException("--layer " + layer + " does not exist: the model has " + lm.model().config().layers() + " layers");
        }
        TopKSae out = saeOut == null ? null : SaeCheckpoint.load(saeOut).sae();
        TopKSae in = saeIn == null ? null : SaeCheckpoint.load(saeIn).sae();
        if (out == null && tokens.length == 0) {
            throw new BadInputException("nothing to analyse: give --sae-out (output features) and/or --token WORD");
        }
        if (in != null && out == null) {
            throw new BadInputException("--sae-in needs --sae-out: input features are read for output features");
        }
        for (String word : tokens) {
            int n = lm.tokenizer().encode(word).length;
            if (n != 1) {
                throw new BadInputException("--token '" + word + "' is " + n + " tokens; pick a single token (mind the leading space)");
            }
        }
        checkSite("--sae-out", out, new Site(layer, Site.Point.MLP_OUT));
        checkSite("--sae-in", in, new Site(layer, Site.Point.MLP_IN));
        if (report != null) {
            OutputFolder.check(report, force);
        }
        var err = spec.commandLine().getErr();
        Backend backend = backendOptions.open(err);
        String source = lm.train() != null ? lm.train().corpus() : "kjv";
        TokenData data = TokenData.encode(Corpus.load(source, lm.train() == null || lm.train().validation() == null ? null
                : Path.of(lm.train().validation())), lm.tokenizer());
        var mIn = Activations.collect(lm.model(), data.validation(), new Site(layer, Site.Point.MLP_IN), samples, 16, backend);
        var mOut = Activations.collect(lm.model(), data.validation(), new Site(layer, Site.Point.MLP_OUT), samples, 16, backend);
        FeatureCircuits.Samples s = new FeatureCircuits.Samples(mIn.values(), mOut.values(), mIn.tokens(), mIn.positions(), data.validation());
        CircuitAnalysis.Options o = new CircuitAnalysis.Options(20, detail, features, tokens, 4, 6, 16, 10);
        CircuitAnalysis.Result r = CircuitAnalysis.run(model.toString(), lm.model(), lm.tokenizer(), layer, out, in, s, o, backend,
                line -> err.println("[circuits] " + line));
        if (report != null) {
            CircuitReport.write(r, report, force);
        }
        var stdout = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("report", report == null ? null : report.resolve("index.html").toString());
            j.put("exactness", r.exactness());
            j.put("live_features", r.liveFeatures());
            j.put("median_correlation_by_k", r.medianCorrelationByK());
            j.put("median_top2_correlation", r.medianTop2Correlation());
            j.put("fraction_above_0_75_at_k2", r.fractionAbove075AtK2());
            j.put("ranking", r.ranking());
            j.put("details", r.details());
            Json.print(stdout, j);
        } else {
            stdout.printf("layer %d MLP: decomposition exact to %.1e (max relative error)%n", layer, r.exactness());
            if (r.liveFeatures() > 0) {
                stdout.printf("%d live output features; median correlation of the top-2 eigenvector approximation %.3f "
                        + "(%.0f%% above 0.75)%n", r.liveFeatures(), r.medianTop2Correlation(), 100 * r.fractionAbove075AtK2());
                stdout.printf("strongest features by top-2 |λ|: %s%n", r.ranking().subList(0, Math.min(5, r.ranking().size())).stream()
                        .map(f -> f.feature() + String.format(" (%.2f)", f.top2())).toList());
            }
            if (report != null) {
                stdout.printf("report: %s%n", report.resolve("index.html"));
            }
        }
        return ExitCode.OK.code;
    }

    private static void checkSite(String option, TopKSae sae, Site expected) {
        if (sae != null && !sae.config().site().equals(expected)) {
            throw new BadInputException(option + " reads " + sae.config().site().describe() + ", not " + expected.describe());
        }
    }
}
