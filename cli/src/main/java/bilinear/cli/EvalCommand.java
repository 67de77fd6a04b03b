package bilinear.cli;

import bilinear.engine.data.DataSplit;
import bilinear.engine.data.Datasets;
import bilinear.engine.data.ImageDataset;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.autograd.Tape;
import bilinear.engine.train.Evaluation;
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

/** {@code bilinear eval}: accuracy and loss of a checkpoint (ours or the reference's) on a dataset. */
@Command(name = "eval", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint (ours or a reference PyTorch state dict as safetensors) on a dataset.")
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "a .safetensors model")
    Path checkpoint;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist10k, mnist or fashion-mnist (default: the one it was trained on, else mnist10k)")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory with the IDX files")
    Path dataDir;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "test or train (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        if (!split.equals("test") && !split.equals("train")) {
            throw new bilinear.engine.BadInputException("--split must be test or train, got '" + split + "'");
        }
        Checkpoint.Loaded loaded = Checkpoint.load(checkpoint);
        String name = dataset != null ? dataset : loaded.train() != null ? loaded.train().dataset() : Datasets.BUNDLED;
        Path dir = dataDir != null ? dataDir
                : dataset == null && loaded.train() != null && loaded.train().dataDir() != null ? Path.of(loaded.train().dataDir()) : null;
        Datasets.validate(name, dir);
        var loading = Concurrently.start("data-load", () -> Datasets.load(name, dir));
        Backend backend = backendOptions.open(spec.commandLine().getErr());
        DataSplit data = Concurrently.join(loading);
        ImageDataset set = split.equals("test") ? data.test() : data.train();
        int[] predictions = new int[set.size()];
        Evaluation.Result r = Evaluation.evaluate(loaded.model(), set, new Tape(backend), predictions);
        int classes = set.classes();
        int[][] confusion = new int[classes][classes];
        for (int i = 0; i < set.size(); i++) {
            confusion[set.labels()[i]][predictions[i]]++;
        }
        double[] perClass = new double[classes];
        for (int c = 0; c < classes; c++) {
            int total = 0;
            for (int p = 0; p < classes; p++) {
                total += confusion[c][p];
            }
            perClass[c] = total == 0 ? Double.NaN : confusion[c][c] / (double) total;
        }
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", checkpoint.toString());
            o.put("model", loaded.model().config());
            o.put("dataset", set.name());
            o.put("samples", r.samples());
            o.put("accuracy", r.accuracy());
            o.put("loss", r.loss());
            o.put("per_class_accuracy", perClass);
            o.put("confusion", confusion);
            Json.print(out, o);
        } else {
            out.printf("%s on %s (%d samples): accuracy %.4f, loss %.4f%n", checkpoint, set.name(), r.samples(), r.accuracy(), r.loss());
            StringBuilder sb = new StringBuilder("per class:");
            for (int c = 0; c < classes; c++) {
                sb.append(String.format(" %d:%.3f", c, perClass[c]));
            }
            out.println(sb);
        }
        return ExitCode.OK.code;
    }
}
