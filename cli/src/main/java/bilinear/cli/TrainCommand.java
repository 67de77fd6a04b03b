package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.data.DataSplit;
import bilinear.engine.data.Datasets;
import bilinear.engine.io.AtomicFiles;
import bilinear.engine.io.Checkpoint;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;
import bilinear.engine.train.Recipe;
import bilinear.engine.train.TrainConfig;
import bilinear.engine.train.Trainer;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear train}: train an image classifier and save it as safetensors. */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Train a bilinear (or GLU) image classifier on the CPU and save a safetensors checkpoint.",
                "Defaults come from --recipe; any option overrides them. A checkpoint is written atomically after",
                "every epoch, so Ctrl-C loses at most the epoch in progress; --resume continues a run."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist10k",
            description = "mnist10k (bundled 10k digits), mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory with the IDX files (fashion-mnist default: "
            + "/usr/share/datasets/fashion-mnist)")
    Path dataDir;

    @Option(names = "--recipe", paramLabel = "NAME", defaultValue = "demo",
            description = "demo (d=256, batch 128, 20 epochs, wd 0.5, noise 0.33) or paper (d=512, batch 2048, 30 epochs, "
                    + "wd 1.0, noise 0.5); default: ${DEFAULT-VALUE}")
    String recipe;

    @Option(names = {"-d", "--hidden"}, paramLabel = "D", description = "hidden width")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "1", description = "gated blocks (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--residual", description = "add each block's input to its output")
    boolean residual;

    @Option(names = "--gate", paramLabel = "KIND", defaultValue = "bilinear",
            description = "bilinear, reglu, swiglu or geglu (default: ${DEFAULT-VALUE})")
    String gate;

    @Option(names = "--bias", description = "give the blocks biases (decomposed with an extra constant input)")
    boolean bias;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training set")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "samples per update")
    Integer batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "AdamW learning rate")
    Float lr;

    @Option(names = {"--wd", "--weight-decay"}, paramLabel = "WD", description = "AdamW decoupled weight decay")
    Float weightDecay;

    @Option(names = "--schedule", paramLabel = "KIND", description = "constant, cosine, linear or step")
    String schedule;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0", description = "linear warm-up updates (default: 0)")
    long warmup;

    @Option(names = "--step-every", paramLabel = "STEPS", defaultValue = "1000",
            description = "step schedule: updates between decays (default: ${DEFAULT-VALUE})")
    long stepEvery;

    @Option(names = "--step-gamma", paramLabel = "G", defaultValue = "0.5",
            description = "step schedule: factor per decay (default: ${DEFAULT-VALUE})")
    double stepGamma;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "0",
            description = "clip the global gradient norm to NORM (0 = off)")
    float clip;

    @Option(names = "--noise", paramLabel = "STD", description = "std of Gaussian noise added to pixels in training")
    Float noise;

    @Option(names = "--latent-noise", paramLabel = "S", description = "add S·std(h)·N(0,1) after each block in training")
    Float latentNoise;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "checkpoint to write (default: runs/DATASET-dD-sSEED.safetensors)")
    Path out;

    @Option(names = "--force", description = "overwrite an existing checkpoint")
    boolean force;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "continue the run saved in FILE (and FILE's .state.safetensors) up to --epochs")
    Path resume;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        // Everything is validated before any work starts.
        backendOptions.validate();
        Checkpoint.Loaded resumed = null;
        TrainConfig config;
        if (resume != null) {
            resumed = Checkpoint.load(resume);
            if (resumed.train() == null) {
                throw new BadInputException(resume + " has no training configuration (not written by 'train'); cannot resume");
            }
            config = epochs == null ? resumed.train() : resumed.train().withEpochs(epochs);
            if (out == null) {
                out = resume;
            }
        } else {
            config = buildConfig();
        }
        Datasets.validate(config.dataset(), config.dataDir() == null ? null : Path.of(config.dataDir()));
        if (out == null) {
            out = Path.of("runs", Datasets.canonical(config.dataset()) + "-d" + config.model().hidden() + "-s" + config.seed() + ".safetensors");
        }
        AtomicFiles.checkNewOutput(out, force, resume);
        AtomicFiles.checkWritable(Checkpoint.statePath(out));

        var err = spec.commandLine().getErr();
        var loading = Concurrently.start("data-load",
                () -> Datasets.load(config.dataset(), config.dataDir() == null ? null : Path.of(config.dataDir())));
        Backend backend = backendOptions.openForTraining(err);
        Concurrently.warmUpWhile(loading, backend.trainingWarmUp(), Concurrently.WARM_UP_MILLIS);
        DataSplit data = Concurrently.join(loading);
        Progress progress = new Progress(err, System.console() != null);
        Interrupts.onInterrupt(() -> err.println(progress.interruptedMessage()));
        Trainer.Result result;
        try {
            result = Trainer.run(config, data, backend, out, resumed, resume, progress);
        } finally {
            Interrupts.clear();
        }
        var last = result.last();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", out.toString());
            o.put("test_accuracy", last.testAccuracy());
            o.put("test_loss", last.testLoss());
            o.put("backend", backend.describe());
            o.put("config", config);
            o.put("history", result.history());
            Json.print(spec.commandLine().getOut(), o);
        } else {
            spec.commandLine().getOut().printf("test accuracy %.4f (loss %.4f) after %d epochs; saved %s%n",
                    last.testAccuracy(), last.testLoss(), last.epoch(), out);
        }
        return ExitCode.OK.code;
    }

    private TrainConfig buildConfig() {
        Recipe r = Recipe.named(recipe);
        Gate g = parseGate(gate);
        int inputDim = 784;
        ImageModelConfig model = new ImageModelConfig(inputDim, hidden != null ? hidden : r.hidden(), 10, layers, residual, g, bias);
        float wd = weightDecay != null ? weightDecay : r.weightDecay();
        Schedule s = Schedule.of(schedule != null ? schedule : r.schedule(), warmup, stepEvery, stepGamma);
        return new TrainConfig(Datasets.canonical(dataset), dataDir == null ? null : dataDir.toString(), model,
                epochs != null ? epochs : r.epochs(), batch != null ? batch : r.batch(), lr != null ? lr : r.lr(),
                new AdamW.Settings(0.9f, 0.999f, 1e-8f, wd, clip), s,
                noise != null ? noise : r.noise(), latentNoise != null ? latentNoise : r.latentNoise(), seed);
    }

    static Gate parseGate(String s) {
        try {
            return Gate.parse(s);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
