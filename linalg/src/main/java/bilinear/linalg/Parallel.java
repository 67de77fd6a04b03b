package bilinear.linalg;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;

/**
 * The engine-owned thread pool. {@code threads} is the total parallelism including the calling
 * thread: the caller runs one part itself while {@code threads − 1} pool workers run the rest.
 *
 * <p>Work is always split into parts whose boundaries depend only on the problem size and the
 * part count a kernel asks for, and every output element is written by exactly one part in a
 * fixed order, so results do not depend on scheduling.
 */
public final class Parallel implements AutoCloseable {
    private final int threads;
    private final ForkJoinPool pool;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("bilinear-worker-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(part)} for every part in {@code [0, parts)}, in parallel when there
     * is more than one part and more than one thread. Parts beyond the thread count queue up.
     */
    public void forEachPart(int parts, IntConsumer body) {
        if (parts <= 0) {
            return;
        }
        if (parts == 1 || pool == null || Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            final int part = p;
            tasks[p - 1] = pool.submit(() -> body.accept(part));
        }
        Throwable failure = null;
        try {
            body.accept(0);
        } catch (Throwable t) {
            failure = t;
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }

    /**
     * Splits {@code [0, n)} into at most {@link #threads()} contiguous chunks (each a multiple of
     * {@code align} except the last) when {@code work} (a rough flop count) exceeds
     * {@code minWork}; calls {@code body.run(from, to)} per chunk.
     */
    public void forRange(int n, int align, long work, long minWork, RangeBody body) {
        int parts = work < minWork ? 1 : Math.min(threads, Math.max(1, n / Math.max(1, align)));
        if (parts <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        int units = (n + align - 1) / align;
        forEachPart(parts, p -> {
            int from = (int) ((long) units * p / parts) * align;
            int to = Math.min(n, (int) ((long) units * (p + 1) / parts) * align);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
