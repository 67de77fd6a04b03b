package bilinear.cli;

import bilinear.engine.train.EpochRecord;
import bilinear.engine.train.TrainConfig;
import bilinear.engine.train.TrainListener;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Training progress on stderr: the plan, one line per epoch (loss, accuracy, samples/s, ETA) and,
 * on a terminal, a live step counter. Remembers the last checkpoint for the Ctrl-C message.
 */
final class Progress implements TrainListener {
    private final PrintWriter err;
    private final boolean live;
    private long startNanos;
    private int firstEpoch;
    private volatile Path lastSaved;
    private volatile int lastSavedEpoch;
    private int lastEpoch;

    Progress(PrintWriter err, boolean live) {
        this.err = err;
        this.live = live;
    }

    @Override
    public void started(TrainConfig c, int startEpoch, int stepsPerEpoch, long parameters) {
        startNanos = System.nanoTime();
        firstEpoch = startEpoch;
        err.printf("[train] %s, %,d parameters%n", c.model().describe(), parameters);
        err.printf("[train] %s: %d epochs × %d steps of %d, AdamW lr %s wd %s, %s, noise %s%s, seed %d%s%n",
                c.dataset(), c.epochs(), stepsPerEpoch, c.batchSize(), c.learningRate(), c.optimizer().weightDecay(),
                c.schedule().describe(), c.inputNoise(), c.latentNoise() > 0 ? " latent " + c.latentNoise() : "",
                c.seed(), startEpoch > 0 ? " (resuming after epoch " + startEpoch + ")" : "");
    }

    @Override
    public void stepDone(int epoch, int step, int stepsPerEpoch, double meanLoss) {
        if (live) {
            err.printf("\r  epoch %d  step %d/%d  loss %.4f ", epoch + 1, step + 1, stepsPerEpoch, meanLoss);
        }
    }

    @Override
    public void epochDone(EpochRecord r, int totalEpochs) {
        lastEpoch = r.epoch();
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int done = r.epoch() - firstEpoch;
        double eta = done > 0 ? elapsed / done * (totalEpochs - r.epoch()) : 0;
        err.printf("%sepoch %3d/%d  loss %.4f  train %.2f%%  test %.2f%%  %,.0f samples/s  %.2fs  ETA %s%n",
                live ? "\r" : "", r.epoch(), totalEpochs, r.trainLoss(), 100 * r.trainAccuracy(), 100 * r.testAccuracy(),
                r.samplesPerSecond(), r.trainSeconds(), formatSeconds(eta));
    }

    @Override
    public void saved(Path path) {
        lastSavedEpoch = lastEpoch;
        lastSaved = path;
    }

    /** What Ctrl-C leaves behind, for the message printed on the way out. */
    String interruptedMessage() {
        Path p = lastSaved;
        return p == null ? "interrupted before the first checkpoint; nothing was written"
                : "interrupted; " + p + " holds the model after epoch " + lastSavedEpoch + " (resume with --resume " + p + ")";
    }

    static String formatSeconds(double s) {
        if (s < 60) {
            return String.format("%.0fs", s);
        }
        return String.format("%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
