package bilinear.engine.lm;

import java.util.List;

/** What a language-model run reports. */
public final class LmRecords {
    private LmRecords() {
    }

    /** One validation: mean nats per token and bits per byte after {@code step} updates. */
    public record Validation(int step, double natsPerToken, double bitsPerByte, double seconds) {
    }

    /** A stretch of training: mean loss over {@code fromStep..toStep}, throughput, the last learning rate. */
    public record Span(int fromStep, int toStep, double meanLoss, double tokensPerSecond, double learningRate) {
    }

    /** The whole history stored in the checkpoint. */
    public record History(List<Span> spans, List<Validation> validations, double medianStepSeconds) {
    }
}
