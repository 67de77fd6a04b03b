package bilinear.cli;

import bilinear.engine.data.DataSplit;
import bilinear.engine.data.Datasets;
import bilinear.engine.decomp.Decomposer;
import bilinear.engine.io.AtomicFiles;
import bilinear.engine.io.OutputFolder;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;
import bilinear.engine.report.Report;
import bilinear.engine.train.Recipe;
import bilinear.engine.train.TrainConfig;
import bilinear.engine.train.Trainer;
import bilinear.linalg.Backend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear demo}: the whole story on the bundled digits in well under a minute. */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Train the paper's single-layer bilinear classifier on the 10,000 bundled MNIST digits",
                "(8,000 train, 2,000 held out), evaluate it, save the checkpoint under --out-dir and write the",
                "decomposition report (--out-dir/report/index.html)."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "where the checkpoint goes (default: ${DEFAULT-VALUE}); overwritten on each run")
    Path outDir;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: the demo recipe's 20)")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-report", description = "skip the decomposition report")
    boolean noReport;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        Recipe r = Recipe.DEMO;
        TrainConfig config = new TrainConfig(Datasets.BUNDLED, null, ImageModelConfig.bilinear(r.hidden()),
                epochs != null ? epochs : r.epochs(), r.batch(), r.lr(), AdamW.Settings.of(r.weightDecay()),
                Schedule.of(r.schedule(), 0, 1, 1), r.noise(), r.latentNoise(), seed);
        AtomicFiles.createDirectories(outDir);
        Path checkpoint = outDir.resolve("model.safetensors");
        AtomicFiles.checkWritable(checkpoint);
        Path report = outDir.resolve("report");
        if (!noReport) {
            OutputFolder.check(report, true);
        }

        var err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        var loading = Concurrently.start("data-load", () -> Datasets.load(Datasets.BUNDLED, null));
        Backend backend = backendOptions.openForTraining(err);
        Concurrently.warmUpWhile(loading, backend.trainingWarmUp(), Concurrently.WARM_UP_MILLIS);
        DataSplit data = Concurrently.join(loading);
        Progress progress = new Progress(err, System.console() != null);
        Interrupts.onInterrupt(() -> err.println(progress.interruptedMessage()));
        Trainer.Result result;
        try {
            result = Trainer.run(config, data, backend, checkpoint, null, null, progress);
        } finally {
            Interrupts.clear();
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Report.Results decomposition = null;
        if (!noReport) {
            decomposition = ReportCommand.write(report, true, checkpoint.toString(), new Decomposer(result.model(), backend), null, null,
                    data, Report.Options.defaults().kMax(), Report.Options.defaults().adversarialStd(), err);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        var last = result.last();
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("test_accuracy", last.testAccuracy());
            o.put("test_loss", last.testLoss());
            o.put("seconds", seconds);
            o.put("train_seconds", trainSeconds);
            o.put("checkpoint", checkpoint.toString());
            if (decomposition != null) {
                o.put("report", report.resolve("index.html").toString());
                o.put("exactness_relative", decomposition.exactness().relative());
            }
            o.put("backend", backend.describe());
            o.put("history", result.history());
            Json.print(out, o);
        } else {
            out.printf("%nA bilinear classifier (784→%d→10) learned the bundled digits: test accuracy %.2f%% on %d held-out images.%n",
                    r.hidden(), 100 * last.testAccuracy(), data.test().size());
            out.printf("  trained in %.1f s (%s)%n", trainSeconds, backend.describe());
            if (decomposition != null) {
                var mag = decomposition.truncation().curve(bilinear.engine.decomp.Truncation.Rule.MAGNITUDE);
                out.printf("  decomposed  every logit is Σλ(v·x)² over %d eigenvectors (exact to %.1e); with the top 10 per class: %.2f%%%n",
                        decomposition.eigenvectors(), decomposition.exactness().relative(), 100 * mag.accuracy()[Math.min(10, mag.ks().length) - 1]);
            }
            out.printf("  checkpoint  %s  (safetensors, reference PyTorch key names)%n", checkpoint);
            if (decomposition != null) {
                out.printf("  report      %s  (open it in a browser)%n", report.resolve("index.html"));
            }
            out.printf("  total       %.1f s%n", seconds);
            out.printf("  next        ./bilinear eval %s%n", checkpoint);
        }
        return ExitCode.OK.code;
    }
}
