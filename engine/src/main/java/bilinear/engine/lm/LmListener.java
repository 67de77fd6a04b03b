package bilinear.engine.lm;

import java.nio.file.Path;

/** Progress of a language-model run (the CLI prints it on stderr). */
public interface LmListener {
    default void started(LmTrainConfig config, int startStep, long parameters, long trainTokens) {
    }

    /** Every {@code span} steps: mean loss, throughput, learning rate. */
    default void span(LmRecords.Span span, int totalSteps) {
    }

    default void validated(LmRecords.Validation v) {
    }

    default void saved(Path path, int step) {
    }

    LmListener SILENT = new LmListener() { };
}
