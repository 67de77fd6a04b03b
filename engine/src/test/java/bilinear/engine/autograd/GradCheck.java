package bilinear.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Tensor;
import java.util.function.Function;

/**
 * Finite-difference gradient checks. The scalar under test is {@code L = Σ cᵢ·outᵢ} for a fixed
 * random {@code c}, computed in double. The analytic gradient comes from the tape; the numerical
 * one from central differences {@code (L(x + ε) − L(x − ε)) / 2ε} at up to {@code samples}
 * coordinates of every input. The error reported is {@code ‖num − ana‖ / (‖num‖ + ‖ana‖)} over
 * those coordinates.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** {@code L = Σ c·out}: the test's loss; backward seeds {@code ∂L/∂out = c}. */
    static final class Projection implements Op {
        private final Variable out;
        private final Tensor c;
        private final Variable loss;

        Projection(Variable out, Tensor c, Variable loss) {
            this.out = out;
            this.c = c;
            this.loss = loss;
        }

        @Override
        public void backward(Tape tape) {
            float beta = tape.gradBeta(out);
            float upstream = (float) tape.backend().sum(tape.grad(loss));
            tape.backend().axpby(upstream, c, beta, tape.grad(out));
        }

        @Override
        public Variable output() {
            return loss;
        }
    }

    private static double project(Tensor out, Tensor c) {
        double s = 0;
        for (int i = 0; i < out.size(); i++) {
            s += (double) out.data()[i] * c.data()[i];
        }
        return s;
    }

    /**
     * Checks {@code forward} with respect to every parameter in {@code inputs}, asserting the
     * relative error is at most {@code bound}; returns the worst error seen.
     */
    public static double check(String name, Backend backend, Function<Tape, Variable> forward, double eps,
                               int samples, double bound, Parameter... inputs) {
        Tape tape = new Tape(backend);
        tape.reset(true);
        Variable out = forward.apply(tape);
        Tensor c = Tensor.zeros(out.value().shape());
        for (int i = 0; i < c.size(); i++) {
            c.data()[i] = CounterRng.gaussian(99, i);
        }
        Tensor lossValue = Tensor.zeros(1);
        lossValue.data()[0] = (float) project(out.value(), c);
        Variable loss = tape.result(lossValue, out);
        tape.record(new Projection(out, c, loss));
        tape.backward(loss);
        double worst = 0;
        for (Parameter p : inputs) {
            Tensor analytic = p.hasGrad() ? p.grad().copy() : Tensor.zeros(p.value().shape());
            p.clearGrad();
            float[] x = p.value().data();
            int n = p.value().size();
            int step = Math.max(1, n / samples);
            double diff = 0, normNum = 0, normAna = 0;
            for (int i = (int) (CounterRng.mix64(n) & 0x7fffffff) % step; i < n; i += step) {
                float saved = x[i];
                x[i] = saved + (float) eps;
                double plus = project(evaluate(backend, forward), c);
                x[i] = saved - (float) eps;
                double minus = project(evaluate(backend, forward), c);
                x[i] = saved;
                double h = ((double) (saved + (float) eps) - (double) (saved - (float) eps));
                double num = (plus - minus) / h;
                double ana = analytic.data()[i];
                diff += (num - ana) * (num - ana);
                normNum += num * num;
                normAna += ana * ana;
            }
            double err = Math.sqrt(diff) / (Math.sqrt(normNum) + Math.sqrt(normAna) + 1e-12);
            worst = Math.max(worst, err);
            assertTrue(err <= bound, String.format("%s on %s: gradient of %s has relative error %.3g > %.3g "
                    + "(|num| %.3g, |ana| %.3g). Hint: check the op's backward formula and which buffers it overwrites.",
                    name, backend.describe(), p.name(), err, bound, Math.sqrt(normNum), Math.sqrt(normAna)));
        }
        return worst;
    }

    private static Tensor evaluate(Backend backend, Function<Tape, Variable> forward) {
        Tape t = new Tape(backend);
        t.reset(false);
        return forward.apply(t).value().copy();
    }
}
