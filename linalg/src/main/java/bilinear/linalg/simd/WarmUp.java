package bilinear.linalg.simd;

import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;

/**
 * Gets the SIMD kernels compiled before a training run needs them. Until C2 has compiled a Vector
 * API loop it runs interpreted or in C1, where every vector operation allocates: without this the
 * first full-size noise call of a run took 1.5 s instead of 2 ms and the first epoch 1.6 s more
 * than the others. Every kernel a training step uses runs here in rounds on small inputs (ragged
 * edges, every transpose flag), so that C2 compiles them on its own thread while the data loads
 * and the first steps run; the rounds stop at a round limit or at the budget.
 */
final class WarmUp {
    private WarmUp() {
    }

    /** Enough calls of each kernel for the JIT to queue it for C2 (a few hundred calls and loop trips). */
    private static final int ROUNDS = 200;

    static long run(Backend be, long budgetMillis) {
        long start = System.nanoTime(), deadline = start + budgetMillis * 1_000_000L;
        // Products: every transpose combination, with edge tiles in m, n and k.
        int m = 20, n = 40, k = 40;
        Tensor a = random(1, m * k), b = random(2, k * n), c = Tensor.zeros(m, n);
        // Elementwise work: a few noise chunks and vector lengths with tails.
        int rows = 8, h = 72, size = 4096 + 5;
        Tensor x = random(5, rows * 2 * h).reshape(rows, 2 * h), out = Tensor.zeros(rows, h), dz = Tensor.zeros(rows, 2 * h);
        Tensor g = random(6, rows * h).reshape(rows, h);
        Tensor logits = random(7, rows * 10).reshape(rows, 10), dLogits = Tensor.zeros(rows, 10);
        int[] labels = new int[rows];
        int[] argmax = new int[rows];
        Tensor p = random(8, size), grad = random(9, size), mom = Tensor.zeros(size), vel = Tensor.zeros(size);
        Tensor sums = Tensor.zeros(2 * h);
        Backend.AdamWStep step = new Backend.AdamWStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0.1f, 0.001f);
        int rounds = 0;
        while (rounds < ROUNDS && System.nanoTime() < deadline) {
            for (int f = 0; f < 4; f++) {
                boolean ta = (f & 1) != 0, tb = (f & 2) != 0;
                be.gemm(ta, tb, 1f, a.reshape(ta ? k : m, ta ? m : k), b.reshape(tb ? n : k, tb ? k : n), f == 3 ? 1f : 0f, c);
            }
            be.addGaussianNoise(p, 0.5f, rounds, grad);
            be.glu(Gate.NONE, x, out);
            be.gluBackward(Gate.NONE, x, g, rounds & 1, dz);
            be.softmaxCrossEntropy(logits, labels, 0.5f, dLogits);
            be.argmaxRows(logits, argmax);
            be.sumRows(dz, 0f, sums);
            be.sum(p);
            be.sumSquares(p);
            be.dot(p, grad);
            be.axpby(1f, p, 0.5f, grad);
            be.adamw(p, grad, 1f, mom, vel, step);
            rounds++;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Tensor random(long seed, int size) {
        Tensor t = Tensor.zeros(size);
        for (int i = 0; i < size; i++) {
            t.data()[i] = 0.1f * CounterRng.gaussian(seed, i);
        }
        return t;
    }
}
