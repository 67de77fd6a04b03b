package bilinear.cli;

import bilinear.engine.lm.LmListener;
import bilinear.engine.lm.LmRecords;
import bilinear.engine.lm.LmTrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Language-model training progress on stderr; remembers the last checkpoint for Ctrl-C. */
final class LmProgress implements LmListener {
    private final PrintWriter err;
    private long startNanos;
    private int startStep;
    private volatile Path lastSaved;
    private volatile int lastSavedStep;

    LmProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void started(LmTrainConfig c, int start, long parameters, long trainTokens) {
        startNanos = System.nanoTime();
        startStep = start;
        err.printf("[lm] %s, %,d parameters%n", c.model().describe(), parameters);
        err.printf("[lm] %s: %,d training tokens; %d steps × %d sequences of %d, AdamW lr %s betas %s/%s wd %s clip %s, %s%s%n",
                c.corpus(), trainTokens, c.steps(), c.batch(), c.model().context(), c.learningRate(), c.optimizer().beta1(),
                c.optimizer().beta2(), c.optimizer().weightDecay(), c.optimizer().clipNorm(), c.schedule().describe(),
                start > 0 ? " (resuming after step " + start + ")" : "");
    }

    @Override
    public void span(LmRecords.Span s, int totalSteps) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int done = s.toStep() - startStep;
        double eta = done > 0 ? elapsed / done * (totalSteps - s.toStep()) : 0;
        err.printf("step %5d/%d  loss %.4f  lr %.2e  %,.0f tokens/s  ETA %s%n", s.toStep(), totalSteps, s.meanLoss(),
                s.learningRate(), s.tokensPerSecond(), Progress.formatSeconds(eta));
    }

    @Override
    public void validated(LmRecords.Validation v) {
        err.printf("  validation after %d steps: %.4f nats/token, %.4f bits/byte (%.1fs)%n", v.step(), v.natsPerToken(),
                v.bitsPerByte(), v.seconds());
    }

    @Override
    public void saved(Path path, int step) {
        lastSavedStep = step;
        lastSaved = path;
    }

    String interruptedMessage() {
        Path p = lastSaved;
        return p == null ? "interrupted before the first checkpoint; nothing was written"
                : "interrupted; " + p + " holds the model after step " + lastSavedStep + " (resume with --resume " + p + ")";
    }
}
