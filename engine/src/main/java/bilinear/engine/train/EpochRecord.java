package bilinear.engine.train;

/**
 * What one epoch did. {@code trainSeconds} covers the training steps only (batch gather, noise,
 * forward, backward, update), {@code evalSeconds} the test-set pass: the same split as the PyTorch
 * yardstick's timings.
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double learningRate, double trainSeconds, double evalSeconds, double samplesPerSecond) {
}
