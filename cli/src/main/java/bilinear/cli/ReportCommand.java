package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.data.DataSplit;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.io.OutputFolder;
import bilinear.engine.report.Report;
import bilinear.linalg.Backend;
import java.io.PrintWriter;
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

/** {@code bilinear report}: every analysis of a checkpoint in one folder, with an HTML page that opens offline. */
@Command(name = "report", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Decompose every class of a checkpoint and write a self-contained report folder: index.html (opens",
                "offline), the eigenvector pictures, spectra, truncation curves, explanations, HOSVD, adversarial masks",
                "(and consistency with --compare), with report.json and a CSV of every figure's data."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "a .safetensors model (ours or a reference PyTorch state dict)")
    Path checkpoint;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "the report folder (default: runs/NAME-report)")
    Path out;

    @Option(names = "--force", description = "replace an existing report folder")
    boolean force;

    @Option(names = "--compare", paramLabel = "CHECKPOINT", description = "a second model for the consistency section")
    Path compare;

    @Option(names = "--k-max", paramLabel = "K", description = "truncation curve for k = 1..K (default: 30, or every eigenvector when fewer)")
    Integer kMax;

    @Option(names = "--std", paramLabel = "STD", defaultValue = "0.3", description = "adversarial mask std (default: ${DEFAULT-VALUE})")
    double std;

    @Option(names = "--json", description = "print a summary as JSON on stdout")
    boolean json;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        Checkpoint.Loaded loaded = Decomposable.load(checkpoint);
        Checkpoint.Loaded other = compare == null ? null : Decomposable.load(compare);
        if (other != null) {
            var a = loaded.model().config();
            var b = other.model().config();
            if (a.layers() != 1 || b.layers() != 1) {
                throw new BadInputException("--compare needs single-block models, whose eigenvectors live in pixel space (got a "
                        + a.describe() + " and a " + b.describe() + ")");
            }
            if (a.inputDim() != b.inputDim() || a.classes() != b.classes()) {
                throw new BadInputException("cannot compare models with different inputs or outputs: " + a.describe() + " vs " + b.describe());
            }
        }
        int n = Decomposable.eigenvectors(loaded.model().config());
        if (kMax != null && (kMax < 1 || kMax > n)) {
            throw new BadInputException("--k-max " + kMax + " is out of range: each class has " + n + " eigenvectors (1–" + n + ")");
        }
        int curve = kMax != null ? kMax : Math.min(Report.Options.defaults().kMax(), n);
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new BadInputException("--std must be a positive number, got " + std);
        }
        DataOptions.Choice data = dataOptions.resolve(loaded);
        Path folder = out != null ? out : Path.of("runs", stem(checkpoint) + "-report");
        OutputFolder.check(folder, force);

        PrintWriter err = spec.commandLine().getErr();
        Backend backend = backendOptions.open(err);
        Report.Results r = write(folder, force, checkpoint.toString(), new Decomposer(loaded.model(), backend),
                other == null ? null : new Decomposer(other.model(), backend), compare == null ? null : compare.toString(),
                data.load(), curve, std, err);
        var o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", folder.resolve("index.html").toString());
            m.put("model", r.model());
            m.put("dataset", r.dataset());
            m.put("test_accuracy", r.truncation().fullAccuracy());
            m.put("exactness_relative", r.exactness().relative());
            m.put("decompose_seconds", r.decomposeSeconds());
            m.put("files", r.files().size() + 1);
            Json.print(o, m);
        } else {
            o.printf("report: %s%n", folder.resolve("index.html"));
        }
        return ExitCode.OK.code;
    }

    /** Writes a report folder, all or nothing; progress goes to {@code err}. Shared with {@code demo}. */
    static Report.Results write(Path folder, boolean force, String label, Decomposer dec, Decomposer compareWith, String compareLabel,
                                DataSplit data, int kMax, double std, PrintWriter err) {
        Report.Options d = Report.Options.defaults();
        Report.Options opt = new Report.Options(d.perSign(), kMax, std, d.adversarialPerClass(), d.adversarialLimit(), d.explanations(),
                d.hosvdComponents(), d.seed(), compareWith, compareLabel, d.compareK());
        try (OutputFolder f = OutputFolder.open(folder, force)) {
            Report.Results r = Report.write(f, label, dec, data, opt, line -> err.println("[report] " + line));
            f.commit();
            return r;
        }
    }

    static String stem(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    }
}
