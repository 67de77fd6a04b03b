package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.data.DataSplit;
import bilinear.engine.decomp.AdversarialMasks;
import bilinear.engine.decomp.Decomposer;
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

/** {@code bilinear adversarial}: masks built from the weights alone, against random masks with the same values. */
@Command(name = "adversarial", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Build one adversarial mask per class from the pseudo-inverse of the top positive eigenvectors of every",
                "class, add it to the test images of the other classes, and compare accuracy and misclassification into",
                "the target with a random mask of the same values."})
public final class AdversarialCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "a single-block .safetensors model")
    Path checkpoint;

    @Option(names = "--std", paramLabel = "STD", defaultValue = "0.3", description = "the masks' standard deviation (default: ${DEFAULT-VALUE})")
    double std;

    @Option(names = "--eigenvectors", paramLabel = "K", defaultValue = "10",
            description = "top positive eigenvectors per class in the stack (default: ${DEFAULT-VALUE})")
    int perClass;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "2000", description = "test images used (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "seed of the random masks (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "write the masks (PNG, CSV) and the table into this folder")
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
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new BadInputException("--std must be a positive number, got " + std);
        }
        if (limit < 1) {
            throw new BadInputException("--limit must be at least 1, got " + limit);
        }
        Checkpoint.Loaded loaded = Decomposable.load(checkpoint);
        var c = loaded.model().config();
        if (c.layers() != 1) {
            throw new BadInputException(checkpoint + ": adversarial masks need a single-block model, whose eigenvectors live in "
                    + "pixel space (this is a " + c.describe() + ")");
        }
        int room = c.hidden() / c.classes();
        if (perClass < 1 || perClass > room) {
            throw new BadInputException("--eigenvectors " + perClass + " is out of range: " + c.classes() + " classes × K eigenvectors "
                    + "must be independent in the " + c.hidden() + "-dimensional embedding (K must be 1–" + room + ")");
        }
        DataOptions.Choice data = dataOptions.resolve(loaded);
        if (out != null) {
            OutputFolder.check(out, force);
        }
        Backend backend = backendOptions.open(spec.commandLine().getErr());
        DataSplit split = data.load();
        Decomposer dec = new Decomposer(loaded.model(), backend);
        AdversarialMasks.Result r = AdversarialMasks.run(dec, dec.decomposeClasses(), split.train(), split.test(), std, perClass, limit, seed);
        if (out != null) {
            try (OutputFolder f = OutputFolder.open(out, force)) {
                List<String> captions = new ArrayList<>();
                for (int t = 0; t < dec.outputs(); t++) {
                    captions.add("#" + t);
                }
                Figures.Figure masks = Figures.vectorGrid(r.masks(), captions, 5, split.test().height(), split.test().width());
                Figures.Figure random = Figures.vectorGrid(r.random(), captions, 5, split.test().height(), split.test().width());
                f.write("masks.png", masks.png());
                f.write("masks.csv", masks.csv());
                f.write("random.png", random.png());
                f.write("random.csv", random.csv());
                f.commit();
            }
        }
        var o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkpoint", checkpoint.toString());
            m.put("dataset", split.test().name());
            m.put("std", std);
            m.put("eigenvectors_per_class", perClass);
            m.put("targets", r.targets());
            m.put("mean_mask_accuracy", r.meanMaskAccuracy());
            m.put("mean_mask_into_target", r.meanMaskIntoTarget());
            m.put("mean_random_accuracy", r.meanRandomAccuracy());
            m.put("mean_random_into_target", r.meanRandomIntoTarget());
            Json.print(o, m);
            return ExitCode.OK.code;
        }
        o.printf("masks of std %.3f from the top %d positive eigenvectors of every class, on %s:%n", std, perClass, split.test().name());
        o.printf("  %-7s %7s  %8s  %8s %8s  %8s %8s%n", "target", "images", "clean", "mask", "→target", "random", "→target");
        for (AdversarialMasks.Target t : r.targets()) {
            o.printf("  %-7d %7d  %8.4f  %8.4f %8.4f  %8.4f %8.4f%n", t.target(), t.images(), t.cleanAccuracy(), t.maskAccuracy(),
                    t.maskIntoTarget(), t.randomAccuracy(), t.randomIntoTarget());
        }
        o.printf("  %-7s %7s  %8s  %8.4f %8.4f  %8.4f %8.4f%n", "mean", "", "", r.meanMaskAccuracy(), r.meanMaskIntoTarget(),
                r.meanRandomAccuracy(), r.meanRandomIntoTarget());
        return ExitCode.OK.code;
    }
}
