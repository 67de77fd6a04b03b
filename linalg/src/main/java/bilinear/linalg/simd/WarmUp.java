package bilinear.linalg.simd;

import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import bilinear.linalg.Tensor;

/**
 * Gets the SIMD kernels compiled before a training run needs them. Until C2 has compiled a Vector
 * API loop it runs interpreted or in C1, where every vector operation allocates: without this the
 * first full-size noise call of a run took 1.5 s instead of 2 ms and the first epoch 1.6 s more
 * than the others. Each round runs every kernel a training step uses once, on small inputs (ragged
 * edges, every transpose flag), so that the JIT queues them for C2 on its own thread while the
 * backend's self-check waits for the vector GEMM and the data loads. After {@link #ROUNDS} rounds
 * no more are needed: by then every kernel has been queued.
 */
final class WarmUp implements Backend.WarmUpRounds {
    /** Enough calls of each kernel for the JIT to queue it for C2 (a few hundred calls and loop trips). */
    private static final int ROUNDS = 200;

    private final Backend be;
    // Products: every transpose combination, with edge tiles in m, n and k.
    private final int m = 20, n = 40, k = 40;
    private final Tensor a = random(1, m * k), b = random(2, k * n), c = Tensor.zeros(m, n);
    // Elementwise work: a few noise chunks and vector lengths with tails.
    private final int rows = 8, h = 72, size = 4096 + 5;
    private final Tensor x = random(5, rows * 2 * h).reshape(rows, 2 * h), out = Tensor.zeros(rows, h);
    private final Tensor dz = Tensor.zeros(rows, 2 * h), g = random(6, rows * h).reshape(rows, h);
    private final Tensor logits = random(7, rows * 10).reshape(rows, 10), dLogits = Tensor.zeros(rows, 10);
    private final int[] labels = new int[rows], argmax = new int[rows];
    private final Tensor p = random(8, size), grad = random(9, size), mom = Tensor.zeros(size), vel = Tensor.zeros(size);
    private final Tensor sums = Tensor.zeros(2 * h);
    // A batch of images kept as bytes: rows of 784 grey levels, in a shuffled order.
    private final byte[] levels = new byte[rows * 784];
    private final int[] order = {3, 0, 7, 1, 5, 2, 6, 4};
    private final Tensor pixels = Tensor.zeros(rows, 784);
    private final Backend.AdamWStep step = new Backend.AdamWStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0.1f, 0.001f);
    private int rounds;

    WarmUp(Backend be) {
        this.be = be;
    }

    /** One round: every training kernel once (nothing, and false, once {@link #ROUNDS} have run). */
    @Override
    public boolean round() {
        if (rounds >= ROUNDS) {
            return false;
        }
        for (int f = 0; f < 4; f++) {
            boolean ta = (f & 1) != 0, tb = (f & 2) != 0;
            be.gemm(ta, tb, 1f, a.reshape(ta ? k : m, ta ? m : k), b.reshape(tb ? n : k, tb ? k : n), f == 3 ? 1f : 0f, c);
        }
        be.unpackGreyLevels(levels, order, 0, pixels);
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
        return true;
    }

    private static Tensor random(long seed, int size) {
        Tensor t = Tensor.zeros(size);
        for (int i = 0; i < size; i++) {
            t.data()[i] = 0.1f * CounterRng.gaussian(seed, i);
        }
        return t;
    }
}
