package bilinear.engine.ops;

import bilinear.engine.autograd.Op;
import bilinear.engine.autograd.Tape;
import bilinear.engine.autograd.Variable;
import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * Token embedding: {@code x[i, :] = E[ids[i], :]}. Shapes: {@code E [V, D]}, {@code ids [N]},
 * {@code x [N, D]}.
 *
 * <pre>
 *   ∂L/∂E[v, :] = Σ_{i : ids[i] = v} ∂L/∂x[i, :]     (scatter-add, i in order)
 * </pre>
 * On the first write of a step the table gradient is zeroed, then accumulated.
 */
public final class Embedding implements Op {
    private final Variable table;
    private final int[] ids;
    private final int n;
    private final Variable x;

    private Embedding(Variable table, int[] ids, int n, Variable x) {
        this.table = table;
        this.ids = ids;
        this.n = n;
        this.x = x;
    }

    /** Looks up the first {@code n} ids (the array may be longer, a reused buffer). */
    public static Variable apply(Tape tape, Variable table, int[] ids, int n) {
        Tensor out = tape.buffer(n, table.value().cols());
        tape.backend().gatherRows(table.value(), ids, out);
        Variable x = tape.result(out, table);
        tape.record(new Embedding(table, ids, n, x));
        return x;
    }

    @Override
    public void backward(Tape tape) {
        if (!table.requiresGrad()) {
            return;
        }
        Backend be = tape.backend();
        if (tape.gradBeta(table) == 0f) {
            be.fill(tape.grad(table), 0f);
        }
        be.scatterAddRows(tape.grad(x), ids, tape.grad(table));
    }

    @Override
    public Variable output() {
        return x;
    }

    int count() {
        return n;
    }
}
