package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.data.DataSplit;
import bilinear.engine.data.ImageDataset;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.decomp.Decomposition;
import bilinear.engine.decomp.Explanation;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.report.ClassNames;
import bilinear.linalg.Backend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear explain}: the eigenvector activations behind one input's top logits. */
@Command(name = "explain", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Explain one image's logits: each is Σ λ(v·x)², so list the largest positive and most negative",
                "eigenvector activations behind the top classes, and what the rest adds up to."})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "a .safetensors model (ours or a reference PyTorch state dict)")
    Path checkpoint;

    @Option(names = "--index", paramLabel = "I", required = true, description = "which image of the split")
    int index;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "test or train (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "2", description = "top classes explained (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--terms", paramLabel = "N", defaultValue = "3", description = "activations shown per sign (default: ${DEFAULT-VALUE})")
    int terms;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        if (!split.equals("test") && !split.equals("train")) {
            throw new BadInputException("--split must be test or train, got '" + split + "'");
        }
        Checkpoint.Loaded loaded = Decomposable.load(checkpoint);
        int outputs = loaded.model().config().classes();
        if (classes < 1 || classes > outputs) {
            throw new BadInputException("--classes must be 1–" + outputs + ", got " + classes);
        }
        if (terms < 1) {
            throw new BadInputException("--terms must be at least 1, got " + terms);
        }
        DataOptions.Choice data = dataOptions.resolve(loaded);
        DataSplit d = data.load();
        ImageDataset set = split.equals("test") ? d.test() : d.train();
        if (index < 0 || index >= set.size()) {
            throw new BadInputException("--index " + index + " is out of range: " + set.name() + " has " + set.size() + " images (0–"
                    + (set.size() - 1) + ")");
        }
        Backend backend = backendOptions.open(spec.commandLine().getErr());
        Decomposer dec = new Decomposer(loaded.model(), backend);
        List<Decomposition> all = dec.decomposeClasses();
        Explanation.Result r = Explanation.explain(dec, all, set.image(index), classes, terms);
        List<String> names = ClassNames.of(data.name(), outputs);
        int label = set.labels()[index];
        var o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkpoint", checkpoint.toString());
            m.put("image", set.name() + "[" + index + "]");
            m.put("label", label);
            m.put("predicted", r.predicted());
            m.put("logits", r.logits());
            m.put("classes", r.classes());
            Json.print(o, m);
            return ExitCode.OK.code;
        }
        o.printf("%s[%d]: label %s, predicted %s%n", set.name(), index, names.get(label), names.get(r.predicted()));
        for (Explanation.ClassExplanation c : r.classes()) {
            o.printf("  %s: logit %.4f%n", names.get(c.cls()), c.logit());
            for (Explanation.Term t : c.positive()) {
                o.printf("      %+10.4f  = λ %+.4g × (v%d·x)² with v·x = %+.4f%n", t.activation(), t.eigenvalue(), t.index(), t.projection());
            }
            for (Explanation.Term t : c.negative()) {
                o.printf("      %+10.4f  = λ %+.4g × (v%d·x)² with v·x = %+.4f%n", t.activation(), t.eigenvalue(), t.index(), t.projection());
            }
            o.printf("      %+10.4f  the other %d terms%n", c.rest(), all.get(c.cls()).size() - c.positive().size() - c.negative().size());
        }
        return ExitCode.OK.code;
    }
}
