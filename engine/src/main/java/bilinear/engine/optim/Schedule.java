package bilinear.engine.optim;

import bilinear.engine.BadInputException;
import java.util.Locale;

/**
 * A learning-rate schedule: the rate for update {@code step} (0-based) of {@code total}, as a
 * multiple of the base rate. Optional linear warm-up over the first {@code warmup} updates,
 * {@code step/warmup} (so update 0 has rate 0, as Hugging Face's schedules); the shape then runs
 * over the remaining ones.
 *
 * <ul>
 *   <li>{@code constant}: 1.
 *   <li>{@code cosine}: {@code ½(1 + cos(π·t))}, t the fraction done (PyTorch's
 *       {@code CosineAnnealingLR} evaluated every update instead of every epoch).
 *   <li>{@code linear}: {@code 1 − t}.
 *   <li>{@code step}: {@code gamma^⌊step / every⌋}.
 * </ul>
 */
public record Schedule(Kind kind, long warmup, long every, double gamma) {
    public enum Kind { CONSTANT, COSINE, LINEAR, STEP }

    public Schedule {
        if (warmup < 0 || (kind == Kind.STEP && (every < 1 || !(gamma > 0)))) {
            throw new BadInputException("invalid schedule: " + kind.name().toLowerCase(Locale.ROOT) + ", warm-up "
                    + warmup + ", every " + every + ", gamma " + gamma);
        }
    }

    public static Schedule of(String name, long warmup, long every, double gamma) {
        Kind k;
        try {
            k = Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown schedule '" + name + "' (expected constant, cosine, linear or step)");
        }
        return new Schedule(k, warmup, every, gamma);
    }

    public double factor(long step, long total) {
        if (step < warmup) {
            return step / (double) warmup;
        }
        long span = Math.max(1, total - warmup);
        double t = Math.min(1.0, (step - warmup) / (double) span);
        return switch (kind) {
            case CONSTANT -> 1.0;
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * t));
            case LINEAR -> 1 - t;
            case STEP -> Math.pow(gamma, (step - warmup) / every);
        };
    }

    public String describe() {
        String base = kind.name().toLowerCase(Locale.ROOT) + (kind == Kind.STEP ? " (×" + gamma + " every " + every + " steps)" : "");
        return warmup > 0 ? base + " after " + warmup + " warm-up steps" : base;
    }
}
