package bilinear.cli;

import bilinear.engine.lm.LmCheckpoint;
import bilinear.engine.lm.LmEvaluation;
import bilinear.engine.lm.TokenData;
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

/** {@code bilinear lm eval}: validation loss in nats per token and bits per byte. */
@Command(name = "eval", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Validation loss of a language model (ours, or one saved by the reference PyTorch script with --tokenizer).")
public final class LmEvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT")
    Path checkpoint;

    @Option(names = "--corpus", paramLabel = "SOURCE", description = "kjv or a file (default: the one it was trained on)")
    String corpus;

    @Option(names = "--validation", paramLabel = "FILE", description = "a separate validation file")
    Path validation;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer (default: CHECKPOINT's .tokenizer.json)")
    Path tokenizer;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "sequences per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--json", description = "print the results as JSON on stdout")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        backendOptions.validate();
        LmCheckpoint.Loaded loaded = LmCheckpoint.load(checkpoint, tokenizer);
        String source = corpus != null ? corpus : loaded.train() != null ? loaded.train().corpus() : "kjv";
        Path val = validation != null ? validation
                : corpus == null && loaded.train() != null && loaded.train().validation() != null ? Path.of(loaded.train().validation()) : null;
        Backend backend = backendOptions.open(spec.commandLine().getErr());
        TokenData data = TokenData.encode(Corpus.load(source, val), loaded.tokenizer());
        double nats = LmEvaluation.validationLoss(loaded.model(), data.validation(), Math.max(1, batch), backend);
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", checkpoint.toString());
            o.put("model", loaded.model().config());
            o.put("corpus", data.name());
            o.put("validation_tokens", data.validation().length);
            o.put("validation_bytes", data.validationBytes());
            o.put("nats_per_token", nats);
            o.put("bits_per_byte", data.bitsPerByte(nats));
            Json.print(out, o);
        } else {
            out.printf("%s on %s validation (%,d tokens, %,d bytes): %.4f nats/token, %.4f bits/byte%n", checkpoint, data.name(),
                    data.validation().length, data.validationBytes(), nats, data.bitsPerByte(nats));
        }
        return ExitCode.OK.code;
    }
}
