package bilinear.engine.train;

import bilinear.engine.BadInputException;
import bilinear.engine.model.ImageModelConfig;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;

/**
 * Everything that defines a training run, validated on construction so that bad values fail
 * before any work starts. Stored in the checkpoint's metadata, so a run can be resumed or
 * repeated from its checkpoint alone.
 *
 * @param dataset      dataset name (see {@link bilinear.engine.data.Datasets})
 * @param dataDir      directory of IDX files, or null for the dataset's default
 * @param model        the architecture
 * @param epochs       passes over the training set
 * @param batchSize    samples per update (the last partial batch is dropped)
 * @param learningRate base rate of AdamW
 * @param optimizer    AdamW's betas, eps, decoupled weight decay and gradient clipping
 * @param schedule     learning-rate schedule over all updates
 * @param inputNoise   std of Gaussian noise added to pixels in training (0 = none)
 * @param latentNoise  scale s of {@code s·std(h)·ε} added after each block in training (0 = none)
 * @param seed         seeds initialisation, shuffling and noise
 */
public record TrainConfig(String dataset, String dataDir, ImageModelConfig model, int epochs, int batchSize,
                          float learningRate, AdamW.Settings optimizer, Schedule schedule,
                          float inputNoise, float latentNoise, long seed) {
    public TrainConfig {
        if (epochs < 1) {
            throw new BadInputException("--epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new BadInputException("--batch must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new BadInputException("--lr must be a positive number, got " + learningRate);
        }
        if (!(optimizer.weightDecay() >= 0) || !Float.isFinite(optimizer.weightDecay())) {
            throw new BadInputException("--weight-decay must be zero or positive, got " + optimizer.weightDecay());
        }
        if (optimizer.weightDecay() * learningRate >= 1) {
            throw new BadInputException("--weight-decay × --lr must be below 1 (each step multiplies weights by 1 − lr·wd)");
        }
        if (!(optimizer.clipNorm() >= 0)) {
            throw new BadInputException("--clip must be zero (off) or positive, got " + optimizer.clipNorm());
        }
        if (!(inputNoise >= 0) || !Float.isFinite(inputNoise)) {
            throw new BadInputException("--noise must be zero or positive, got " + inputNoise);
        }
        if (!(latentNoise >= 0) || !Float.isFinite(latentNoise)) {
            throw new BadInputException("--latent-noise must be zero or positive, got " + latentNoise);
        }
    }

    /** A copy that trains for a different number of epochs (resuming a run further). */
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(dataset, dataDir, model, newEpochs, batchSize, learningRate, optimizer, schedule,
                inputNoise, latentNoise, seed);
    }
}
