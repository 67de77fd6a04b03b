package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.io.AtomicFiles;
import bilinear.engine.lm.LmCheckpoint;
import bilinear.engine.lm.TokenData;
import bilinear.engine.sae.Activations;
import bilinear.engine.sae.SaeCheckpoint;
import bilinear.engine.sae.SaeTrainer;
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

/** {@code bilinear sae}: sparse autoencoders on a language model's MLP activations. */
@Command(name = "sae", mixinStandardHelpOptions = true, description = "Sparse autoencoders on language-model activations.",
        subcommands = {SaeCommand.Train.class})
public final class SaeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bilinear sae train}. */
    @Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
            description = {"Train a top-k SAE on the activations at a layer's MLP input or output, collected from the",
                    "model's training corpus; report NMSE, dead latents and the loss added when it replaces the activation."})
    public static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "a language-model checkpoint")
        Path model;

        @Option(names = "--layer", paramLabel = "L", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
        int layer;

        @Option(names = "--site", paramLabel = "WHERE", defaultValue = "mlp-out", description = "mlp-in or mlp-out (default: ${DEFAULT-VALUE})")
        String site;

        @Option(names = "--k", paramLabel = "K", defaultValue = "30", description = "active latents per token (default: ${DEFAULT-VALUE})")
        int k;

        @Option(names = "--expansion", paramLabel = "X", defaultValue = "4", description = "latents = X × d_model (default: ${DEFAULT-VALUE})")
        int expansion;

        @Option(names = "--tokens", paramLabel = "N", defaultValue = "262144", description = "activations to train on (default: ${DEFAULT-VALUE})")
        int tokens;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "4", description = "(default: ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "1024", description = "(default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "(default: ${DEFAULT-VALUE})")
        float lr;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--corpus", paramLabel = "SOURCE", description = "text to collect from (default: the model's training corpus)")
        String corpus;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "default: MODEL-sae-LAYER-SITE.safetensors beside the model")
        Path out;

        @Option(names = "--force", description = "overwrite an existing file")
        boolean force;

        @Option(names = "--json", description = "print the results as JSON on stdout")
        boolean json;

        @Mixin
        BackendOptions backendOptions;

        @Override
        public Integer call() throws Exception {
            backendOptions.validate();
            if (expansion < 1 || tokens < 1) {
                throw new BadInputException("--expansion and --tokens must be positive");
            }
            LmCheckpoint.Loaded lm = LmCheckpoint.load(model, null);
            Site where = Site.parse(layer, site);
            if (layer < 0 || layer >= lm.model().config().layers()) {
                throw new BadInputException("--layer " + layer + " does not exist: the model has " + lm.model().config().layers() + " layers");
            }
            int width = lm.model().config().dModel();
            TopKSae.Config config = new TopKSae.Config(width, expansion * width, k, where);
            SaeTrainer.Settings settings = new SaeTrainer.Settings(epochs, batch, lr, seed);
            if (out == null) {
                String stem = model.getFileName().toString().replace(".safetensors", "");
                out = model.resolveSibling(stem + "-sae-" + layer + "-" + site + ".safetensors");
            }
            AtomicFiles.checkNewOutput(out, force, null);
            var err = spec.commandLine().getErr();
            Backend backend = backendOptions.open(err);
            String source = corpus != null ? corpus : lm.train() != null ? lm.train().corpus() : "kjv";
            TokenData data = TokenData.encode(Corpus.load(source, null), lm.tokenizer());
            long t0 = System.nanoTime();
            var train = Activations.collect(lm.model(), data.train(), where, tokens, 16, backend);
            var held = Activations.collect(lm.model(), data.validation(), where, 32768, 16, backend);
            err.printf("[sae] %,d training and %,d held-out activations at %s (%.1fs)%n", train.values().rows(),
                    held.values().rows(), where.describe(), (System.nanoTime() - t0) / 1e9);
            TopKSae sae = SaeTrainer.train(config, train.values(), settings, backend, new SaeTrainer.Listener() {
                @Override
                public void epochDone(int epoch, int total, double meanLoss, double seconds) {
                    err.printf("[sae] epoch %d/%d  mse %.5f  %.1fs%n", epoch, total, meanLoss, seconds);
                }
            });
            SaeTrainer.Metrics m = SaeTrainer.reconstructionMetrics(sae, held.values(), backend);
            m = SaeTrainer.withLossAdded(m, sae, lm.model(), data.validation(), 16, backend);
            SaeCheckpoint.save(out, sae, model.toString(), m);
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("sae", out.toString());
                o.put("config", config);
                o.put("nmse", m.nmse());
                o.put("dead_latents", m.deadLatents());
                o.put("latents", m.latents());
                o.put("mean_active_latents", m.meanActiveLatents());
                o.put("loss_clean", m.lossClean());
                o.put("loss_spliced", m.lossSpliced());
                o.put("loss_added", m.lossAdded());
                Json.print(spec.commandLine().getOut(), o);
            } else {
                spec.commandLine().getOut().printf("SAE at %s: NMSE %.4f, %d of %d latents dead, %.1f active per token; "
                        + "loss %.4f → %.4f nats (+%.4f) with it spliced in; saved %s%n", where.describe(), m.nmse(), m.deadLatents(),
                        m.latents(), m.meanActiveLatents(), m.lossClean(), m.lossSpliced(), m.lossAdded(), out);
            }
            return ExitCode.OK.code;
        }
    }
}
