package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.decomp.Consistency;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.io.Checkpoint;
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

/** {@code bilinear compare}: do two models (seeds, hidden sizes) learn the same eigenvectors? */
@Command(name = "compare", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Match each class's top-k eigenvectors of model A to the most similar of model B's top-k, by |cosine|",
                "in pixel space (so models of different hidden sizes compare)."})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "a .safetensors model")
    Path first;

    @Parameters(index = "1", paramLabel = "B", description = "another .safetensors model")
    Path second;

    @Option(names = "--k", paramLabel = "K", defaultValue = "5", description = "top eigenvectors per class (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        Checkpoint.Loaded a = Decomposable.load(first), b = Decomposable.load(second);
        int limit = Math.min(Decomposable.eigenvectors(a.model().config()), Decomposable.eigenvectors(b.model().config()));
        if (k < 1 || k > limit) {
            throw new BadInputException("--k " + k + " is out of range: the models have " + limit
                    + " eigenvectors per class to compare (1–" + limit + ")");
        }
        for (Checkpoint.Loaded m : new Checkpoint.Loaded[] {a, b}) {
            var c = m.model().config();
            if (c.layers() != 1) {
                throw new BadInputException("compare needs single-block models, whose eigenvectors live in pixel space (got a "
                        + c.describe() + ")");
            }
        }
        if (a.model().config().inputDim() != b.model().config().inputDim() || a.model().config().classes() != b.model().config().classes()) {
            throw new BadInputException("cannot compare models with different inputs or outputs: " + a.model().config().describe()
                    + " vs " + b.model().config().describe());
        }
        Backend backend = backendOptions.open(spec.commandLine().getErr());
        Decomposer da = new Decomposer(a.model(), backend), db = new Decomposer(b.model(), backend);
        Consistency.Result r = Consistency.compare(da, da.decomposeClasses(), db, db.decomposeClasses(), k);
        var o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", first.toString());
            m.put("b", second.toString());
            m.put("k", k);
            m.put("mean_best_abs_cosine_by_rank", r.meanByRank());
            m.put("classes", r.classes());
            Json.print(o, m);
            return ExitCode.OK.code;
        }
        o.printf("best-match |cos| of %s's top-%d eigenvectors among %s's top-%d, per class and rank:%n", first, k, second, k);
        for (Consistency.ClassMatch c : r.classes()) {
            StringBuilder sb = new StringBuilder(String.format("  class %-3d", c.cls()));
            for (double v : c.bestCosine()) {
                sb.append(String.format("  %.3f", v));
            }
            o.println(sb);
        }
        StringBuilder mean = new StringBuilder("  mean     ");
        for (double v : r.meanByRank()) {
            mean.append(String.format("  %.3f", v));
        }
        o.println(mean);
        return ExitCode.OK.code;
    }
}
