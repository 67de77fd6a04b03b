package bilinear.cli;

import bilinear.engine.data.DataSplit;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.decomp.Decomposition;
import bilinear.engine.decomp.Truncation;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.io.OutputFolder;
import bilinear.engine.report.Figures;
import bilinear.linalg.Backend;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** {@code bilinear truncate}: test accuracy when each class keeps only its top-k eigenvectors. */
@Command(name = "truncate", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Keep the top-k eigenvectors of every class and measure test accuracy against k, for each selection rule:",
                "magnitude (largest |λ|), activation (largest mean |λ|(v·x)² on the training set), signed (k positive + k negative)."})
public final class TruncateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "a .safetensors model (ours or a reference PyTorch state dict)")
    Path checkpoint;

    @Option(names = "--k", paramLabel = "K", defaultValue = "1-30",
            description = "k values: 20, a range 1-30 or a list 1,5,10,20 (default: ${DEFAULT-VALUE})")
    String k;

    @Option(names = "--rule", paramLabel = "RULE", defaultValue = "all",
            description = "magnitude, activation, signed or all (default: ${DEFAULT-VALUE})")
    String rule;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "write the curve (SVG) and its CSV into this folder")
    Path out;

    @Option(names = "--force", description = "replace an existing --out folder")
    boolean force;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        int[] ks = Decomposable.parseKs(k);
        List<Truncation.Rule> rules = rule.trim().equalsIgnoreCase("all") ? List.of(Truncation.Rule.values()) : List.of(Truncation.Rule.parse(rule));
        Checkpoint.Loaded loaded = Decomposable.load(checkpoint);
        Truncation.checkKs(ks, Decomposable.eigenvectors(loaded.model().config()));
        DataOptions.Choice data = dataOptions.resolve(loaded);
        if (out != null) {
            OutputFolder.check(out, force);
        }
        Backend backend = backendOptions.open(spec.commandLine().getErr());
        DataSplit split = data.load();
        Decomposer dec = new Decomposer(loaded.model(), backend);
        List<Decomposition> classes = dec.decomposeClasses();
        Truncation.Result r = Truncation.run(dec, classes, split.test(), rules.contains(Truncation.Rule.ACTIVATION) ? split.train() : null, ks, rules);
        if (out != null) {
            try (OutputFolder f = OutputFolder.open(out, force)) {
                Figures.Figure fig = Figures.truncation(r);
                f.write("truncation.svg", fig.svg());
                f.write("truncation.csv", fig.csv());
                f.commit();
            }
        }
        var o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkpoint", checkpoint.toString());
            m.put("dataset", split.test().name());
            m.put("samples", r.samples());
            m.put("full_accuracy", r.fullAccuracy());
            List<Map<String, Object>> curves = new ArrayList<>();
            for (Truncation.Curve c : r.curves()) {
                curves.add(Map.of("rule", c.rule().id, "k", c.ks(), "accuracy", c.accuracy()));
            }
            m.put("curves", curves);
            Json.print(o, m);
            return ExitCode.OK.code;
        }
        o.printf("%s on %s (%d images): full model %.4f%n", checkpoint, split.test().name(), r.samples(), r.fullAccuracy());
        StringBuilder head = new StringBuilder(String.format("%6s", "k"));
        for (Truncation.Curve c : r.curves()) {
            head.append(String.format("  %10s", c.rule().id));
        }
        o.println(head);
        for (int j = 0; j < ks.length; j++) {
            StringBuilder line = new StringBuilder(String.format("%6d", ks[j]));
            for (Truncation.Curve c : r.curves()) {
                line.append(String.format("  %10.4f", c.accuracy()[j]));
            }
            o.println(line);
        }
        if (out != null) {
            o.printf("wrote %s%n", out);
        }
        return ExitCode.OK.code;
    }
}
