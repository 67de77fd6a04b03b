package bilinear.cli;

import bilinear.linalg.Backend;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs one task on a background thread while the command does something else. Commands load
 * their data this way while the backend runs its SIMD self-check and warms its kernels up: each
 * takes a few hundred milliseconds, and on two cores they overlap.
 */
final class Concurrently {
    private Concurrently() {
    }

    /**
     * The longest training commands go on warming the backend's kernels up while their data is
     * still loading (about as long as loading Fashion-MNIST takes).
     */
    static final long WARM_UP_MILLIS = 300;

    /**
     * Runs warm-up rounds until {@code task} is done, the rounds are, or {@code maxMillis} have
     * passed (none if the task is already done): work that uses the wait without adding to it.
     */
    static void warmUpWhile(FutureTask<?> task, Backend.WarmUpRounds warmUp, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (!task.isDone() && System.nanoTime() < deadline && warmUp.round()) {
            // one round a pass
        }
    }

    /** Starts {@code task} on a new daemon thread. */
    static <T> FutureTask<T> start(String name, Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = new Thread(f, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** The task's result; its exception, if it threw one, is rethrown unwrapped. */
    static <T> T join(FutureTask<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }
}
