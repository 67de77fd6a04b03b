package bilinear.engine.lm;

import bilinear.engine.BadInputException;
import bilinear.engine.text.BpeTokenizer;
import bilinear.engine.text.Corpus;
import java.nio.charset.StandardCharsets;

/** A corpus encoded by a tokenizer: the training and validation token streams. */
public record TokenData(String name, int[] train, int[] validation, long validationBytes) {
    public static TokenData encode(Corpus corpus, BpeTokenizer tokenizer) {
        int[] train = tokenizer.encode(corpus.train());
        int[] val = tokenizer.encode(corpus.validation());
        if (val.length < 2) {
            throw new BadInputException(corpus.name() + ": the validation text has fewer than 2 tokens");
        }
        return new TokenData(corpus.name(), train, val, corpus.validation().getBytes(StandardCharsets.UTF_8).length);
    }

    /** Bits per byte of a mean loss in nats per token over the validation stream. */
    public double bitsPerByte(double natsPerToken) {
        return natsPerToken * validation.length / validationBytes / Math.log(2);
    }
}
