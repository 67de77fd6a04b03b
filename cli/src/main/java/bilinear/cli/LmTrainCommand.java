package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.engine.io.AtomicFiles;
import bilinear.engine.lm.LmCheckpoint;
import bilinear.engine.lm.LmConfig;
import bilinear.engine.lm.LmTrainConfig;
import bilinear.engine.lm.LmTrainer;
import bilinear.engine.lm.TokenData;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;
import bilinear.engine.text.BpeTokenizer;
import bilinear.engine.text.Corpus;
import bilinear.linalg.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bilinear lm train}: train a transformer language model with a bilinear (or GLU) MLP. */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Train a transformer language model on a text corpus (defaults: the reference recipe on the",
                "King James Bible). A byte-level BPE tokenizer is trained on the corpus unless --tokenizer is given;",
                "it is saved beside the model as NAME.tokenizer.json."})
public final class LmTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", paramLabel = "SOURCE", defaultValue = "kjv",
            description = "kjv (Debian's bible-kjv), or a text file (stories separated by <|endoftext|>) or .jsonl "
                    + "with a \"text\" field, e.g. TinyStories (default: ${DEFAULT-VALUE})")
    String corpus;

    @Option(names = "--validation", paramLabel = "FILE", description = "a separate validation file (default: 5% of the corpus)")
    Path validation;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "use this tokenizer instead of training one")
    Path tokenizer;

    @Option(names = "--vocab", paramLabel = "N", defaultValue = "4096", description = "BPE vocabulary size (default: ${DEFAULT-VALUE})")
    int vocab;

    @Option(names = "--lowercase", description = "lowercase the text before tokenizing")
    boolean lowercase;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "2", description = "blocks (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--d-model", paramLabel = "D", defaultValue = "256", description = "residual width (default: ${DEFAULT-VALUE})")
    int dModel;

    @Option(names = "--d-hidden", paramLabel = "H", defaultValue = "1024", description = "MLP width (default: ${DEFAULT-VALUE})")
    int dHidden;

    @Option(names = "--heads", paramLabel = "N", defaultValue = "4", description = "attention heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--context", paramLabel = "T", defaultValue = "256", description = "tokens per sequence (default: ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--gate", paramLabel = "KIND", defaultValue = "bilinear",
            description = "MLP: bilinear, reglu, swiglu or geglu (default: ${DEFAULT-VALUE})")
    String gate;

    @Option(names = "--no-norm", description = "no RMSNorm (use --latent-noise instead, the workshop model)")
    boolean noNorm;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "600", description = "updates (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "sequences per update (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "AdamW learning rate (default: ${DEFAULT-VALUE})")
    float lr;

    @Option(names = {"--wd", "--weight-decay"}, paramLabel = "WD", defaultValue = "0.1", description = "weight decay (default: ${DEFAULT-VALUE})")
    float weightDecay;

    @Option(names = "--beta2", paramLabel = "B", defaultValue = "0.95", description = "AdamW β₂ (default: ${DEFAULT-VALUE})")
    float beta2;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "50", description = "linear warm-up (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "linear",
            description = "after warm-up: linear (to 0), cosine or constant (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "1.0", description = "gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE})")
    float clip;

    @Option(names = "--latent-noise", paramLabel = "S", defaultValue = "0", description = "latent noise scale (default: 0)")
    float latentNoise;

    @Option(names = "--eval-every", paramLabel = "STEPS", defaultValue = "0",
            description = "validate and checkpoint every STEPS (default: only at the end)")
    int evalEvery;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "checkpoint (default: runs/lm-CORPUS-GATE.safetensors)")
    Path out;

    @Option(names = "--force", description = "overwrite an existing checkpoint")
    boolean force;

    @Option(names = "--resume", paramLabel = "FILE", description = "continue the run saved in FILE up to --steps")
    Path resume;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        var err = spec.commandLine().getErr();
        LmCheckpoint.Loaded resumed = null;
        LmTrainConfig config;
        BpeTokenizer tok = null;
        if (resume != null) {
            resumed = LmCheckpoint.load(resume, null);
            if (resumed.train() == null) {
                throw new BadInputException(resume + " has no training configuration (not written by 'lm train'); cannot resume");
            }
            config = spec.commandLine().getParseResult().hasMatchedOption("--steps") ? resumed.train().withSteps(steps) : resumed.train();
            tok = resumed.tokenizer();
            if (out == null) {
                out = resume;
            }
        } else {
            LmConfig model = new LmConfig(vocab, layers, dModel, dHidden, heads, context, TrainCommand.parseGate(gate), !noNorm);
            config = new LmTrainConfig(corpus, validation == null ? null : validation.toString(), model, steps, batch, lr,
                    new AdamW.Settings(0.9f, beta2, 1e-8f, weightDecay, clip), Schedule.of(schedule, warmup, 1, 1),
                    latentNoise, evalEvery, seed);
            if (tokenizer != null) {
                tok = BpeTokenizer.load(tokenizer);
                if (tok.vocabSize() != vocab && spec.commandLine().getParseResult().hasMatchedOption("--vocab")) {
                    throw new BadInputException("--vocab " + vocab + " disagrees with the tokenizer's " + tok.vocabSize() + " tokens");
                }
                config = config.withModel(model.withVocab(tok.vocabSize()));
            }
        }
        if (!config.corpus().equals("kjv") && !Files.isRegularFile(Path.of(config.corpus()))) {
            throw new BadInputException("no such corpus file: " + config.corpus() + " (or use --corpus kjv)");
        }
        if (out == null) {
            String name = config.corpus().equals("kjv") ? "kjv" : Path.of(config.corpus()).getFileName().toString().replaceAll("\\..*$", "");
            out = Path.of("runs", "lm-" + name + "-" + gate + ".safetensors");
        }
        AtomicFiles.checkNewOutput(out, force, resume);

        Backend backend = backendOptions.open(err);
        long t0 = System.nanoTime();
        Corpus text = Corpus.load(config.corpus(), config.validation() == null ? null : Path.of(config.validation()));
        if (tok == null) {
            tok = BpeTokenizer.train(text.train(), vocab, lowercase);
            err.printf("[lm] trained a %d-token BPE tokenizer on %,d characters (%.1fs)%n", tok.vocabSize(), text.train().length(),
                    (System.nanoTime() - t0) / 1e9);
            if (tok.vocabSize() != config.model().vocab()) {
                // a small corpus runs out of pairs to merge before reaching --vocab
                err.printf("[lm] the corpus supports only %d tokens (asked for %d); the model uses %d%n", tok.vocabSize(),
                        config.model().vocab(), tok.vocabSize());
                config = config.withModel(config.model().withVocab(tok.vocabSize()));
            }
        }
        TokenData data = TokenData.encode(text, tok);
        LmProgress progress = new LmProgress(err);
        Interrupts.onInterrupt(() -> err.println(progress.interruptedMessage()));
        LmTrainer.Result result;
        try {
            result = LmTrainer.run(config, data, tok, backend, out, resumed, resume, progress);
        } finally {
            Interrupts.clear();
        }
        var v = result.lastValidation();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", out.toString());
            o.put("validation_nats_per_token", v.natsPerToken());
            o.put("validation_bits_per_byte", v.bitsPerByte());
            o.put("median_step_seconds", result.history().medianStepSeconds());
            o.put("tokens_per_second", config.batch() * config.model().context() / result.history().medianStepSeconds());
            o.put("backend", backend.describe());
            o.put("config", config);
            o.put("history", result.history());
            Json.print(spec.commandLine().getOut(), o);
        } else {
            spec.commandLine().getOut().printf("validation %.4f nats/token, %.4f bits/byte after %d steps; %,.0f tokens/s; saved %s%n",
                    v.natsPerToken(), v.bitsPerByte(), result.steps(),
                    config.batch() * config.model().context() / result.history().medianStepSeconds(), out);
        }
        return ExitCode.OK.code;
    }
}
