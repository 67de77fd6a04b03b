package bilinear.engine.lm;

import bilinear.engine.text.BpeTokenizer;
import bilinear.linalg.Backend;
import bilinear.linalg.Gate;
import java.util.ArrayList;
import java.util.List;

/**
 * Bilinear versus GLU MLPs on the same recipe (the papers' activation comparison): one model per
 * gate at equal steps, and optionally again at equal wall-clock time, each gate then getting as
 * many steps as fit in the time the bilinear model took (with the schedule stretched to them).
 */
public final class GateComparison {
    private GateComparison() {
    }

    /** One trained model's outcome. */
    public record Row(String gate, String budget, int steps, double natsPerToken, double bitsPerByte,
                      double medianStepSeconds, double trainSeconds) {
    }

    public interface Listener {
        default void starting(Gate gate, String budget, int steps) {
        }

        default void finished(Row row) {
        }
    }

    public static List<Row> run(LmTrainConfig base, List<Gate> gates, boolean equalTime, TokenData data, BpeTokenizer tokenizer,
                                Backend backend, Listener listener) {
        List<Row> rows = new ArrayList<>();
        for (Gate g : gates) {
            rows.add(train(base, g, base.steps(), "equal steps", data, tokenizer, backend, listener));
        }
        if (equalTime) {
            double budget = rows.get(0).trainSeconds();
            for (int i = 0; i < gates.size(); i++) {
                int steps = (int) Math.max(1, Math.round(budget / rows.get(i).medianStepSeconds()));
                rows.add(train(base, gates.get(i), steps, "equal time", data, tokenizer, backend, listener));
            }
        }
        return rows;
    }

    private static Row train(LmTrainConfig base, Gate gate, int steps, String budget, TokenData data, BpeTokenizer tokenizer,
                             Backend backend, Listener listener) {
        LmConfig m = base.model();
        LmTrainConfig c = base.withModel(new LmConfig(m.vocab(), m.layers(), m.dModel(), m.dHidden(), m.heads(), m.context(),
                gate, m.norm())).withSteps(steps);
        listener.starting(gate, budget, steps);
        long t0 = System.nanoTime();
        LmTrainer.Result r = LmTrainer.run(c, data, tokenizer, backend, null, null, null, LmListener.SILENT);
        double seconds = (System.nanoTime() - t0) / 1e9 - r.lastValidation().seconds();
        Row row = new Row(name(gate), budget, steps, r.lastValidation().natsPerToken(), r.lastValidation().bitsPerByte(),
                r.history().medianStepSeconds(), seconds);
        listener.finished(row);
        return row;
    }

    public static String name(Gate g) {
        return switch (g) {
            case NONE -> "bilinear";
            case RELU -> "ReGLU";
            case SILU -> "SwiGLU";
            case GELU -> "GeGLU";
        };
    }
}
