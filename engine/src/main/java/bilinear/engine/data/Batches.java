package bilinear.engine.data;

import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;
import java.util.SplittableRandom;

/**
 * Shuffled mini-batches of an image dataset. The order of epoch {@code e} is a Fisher–Yates
 * shuffle seeded by {@code (seed, e)}, so it does not depend on what ran before: a resumed run
 * sees the same batches as an uninterrupted one. The last partial batch is dropped when training
 * (as the reference's {@code DataLoader(drop_last=True)}).
 */
public final class Batches {
    private Batches() {
    }

    /** The sample order of one epoch. */
    public static int[] epochOrder(int n, long seed, int epoch) {
        return permutation(n, bilinear.linalg.CounterRng.split(seed ^ 0x5348554646L, epoch));
    }

    /** A Fisher–Yates shuffle of {@code 0 .. n−1} driven by {@code seed}. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Copies the images {@code order[from..from+count)} into {@code x [count, D]} as floats (through
     * {@code be}'s {@link Backend#unpackGreyLevels}) and their labels into {@code y}.
     */
    public static void gather(Backend be, ImageDataset data, int[] order, int from, int count, Tensor x, int[] y) {
        if (x.rows() != count || x.cols() != data.features()) {
            throw new IllegalArgumentException("gather: " + count + " images of " + data.features() + " pixels into " + x.shape());
        }
        be.unpackGreyLevels(data.levels(), order, from, x);
        for (int i = 0; i < count; i++) {
            y[i] = data.labels()[order[from + i]];
        }
    }
}
