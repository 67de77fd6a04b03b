package bilinear.engine.train;

import java.nio.file.Path;

/** Progress callbacks of a training run (the CLI prints them on stderr). */
public interface TrainListener {
    /** Before the first step: the plan. */
    default void started(TrainConfig config, int startEpoch, int stepsPerEpoch, long parameters) {
    }

    /** After every update, with the running mean loss of the epoch so far. */
    default void stepDone(int epoch, int step, int stepsPerEpoch, double meanLoss) {
    }

    /** After each epoch's evaluation. */
    default void epochDone(EpochRecord record, int totalEpochs) {
    }

    /** After each checkpoint write. */
    default void saved(Path path) {
    }

    TrainListener SILENT = new TrainListener() { };
}
