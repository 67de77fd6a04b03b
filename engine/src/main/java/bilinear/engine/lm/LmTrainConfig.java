package bilinear.engine.lm;

import bilinear.engine.BadInputException;
import bilinear.engine.optim.AdamW;
import bilinear.engine.optim.Schedule;

/**
 * A language-model training run, validated on construction and stored in the checkpoint.
 *
 * @param corpus       {@code kjv} or a text / JSON-lines file
 * @param validation   a separate validation file, or null to split the corpus 95/5
 * @param model        the architecture
 * @param steps        updates
 * @param batch        sequences per update (each {@code model.context()} tokens plus its target)
 * @param learningRate AdamW's base rate
 * @param optimizer    betas, eps, weight decay, gradient clipping
 * @param schedule     learning-rate schedule (warm-up then linear decay in the reference)
 * @param latentNoise  latent noise scale for models without norms (0 = none)
 * @param evalEvery    validate (and checkpoint) every this many steps; 0 = only at the end
 * @param seed         seeds initialisation, batch sampling and noise
 */
public record LmTrainConfig(String corpus, String validation, LmConfig model, int steps, int batch, float learningRate,
                            AdamW.Settings optimizer, Schedule schedule, float latentNoise, int evalEvery, long seed) {
    public LmTrainConfig {
        if (steps < 1) {
            throw new BadInputException("--steps must be at least 1, got " + steps);
        }
        if (batch < 1) {
            throw new BadInputException("--batch must be at least 1, got " + batch);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new BadInputException("--lr must be a positive number, got " + learningRate);
        }
        if (!(optimizer.weightDecay() >= 0) || optimizer.weightDecay() * learningRate >= 1) {
            throw new BadInputException("--weight-decay must be zero or positive with lr·wd below 1");
        }
        if (!(latentNoise >= 0)) {
            throw new BadInputException("--latent-noise must be zero or positive, got " + latentNoise);
        }
        if (evalEvery < 0) {
            throw new BadInputException("--eval-every must be zero or positive, got " + evalEvery);
        }
    }

    public LmTrainConfig withModel(LmConfig newModel) {
        return new LmTrainConfig(corpus, validation, newModel, steps, batch, learningRate, optimizer, schedule,
                latentNoise, evalEvery, seed);
    }

    public LmTrainConfig withSteps(int newSteps) {
        return new LmTrainConfig(corpus, validation, model, newSteps, batch, learningRate, optimizer, schedule,
                latentNoise, evalEvery, seed);
    }

    /** The reference recipe (batch 16, AdamW lr 1e-3, betas 0.9/0.95, wd 0.1, clip 1, warm-up 50, linear decay). */
    public static LmTrainConfig reference(String corpus, LmConfig model, int steps, long seed) {
        return new LmTrainConfig(corpus, null, model, steps, 16, 1e-3f, new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f, 1f),
                Schedule.of("linear", 50, 1, 1), 0f, 0, seed);
    }
}
