package bilinear.cli;

import bilinear.engine.io.Checkpoint;

/**
 * Says what Ctrl-C left behind. The JVM runs shutdown hooks on SIGINT; a training run registers
 * the message to print (which checkpoint is intact), and clears it when it finishes normally.
 */
final class Interrupts {
    private Interrupts() {
    }

    private static volatile Runnable message;
    private static volatile boolean installed;

    static synchronized void onInterrupt(Runnable r) {
        message = r;
        if (!installed) {
            installed = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // Taken at once: the run may end (and clear it) while we wait for the lock below.
                Runnable m = message;
                // Lets a checkpoint pair being written finish, and starts no other (see Checkpoint.PAIR_LOCK).
                synchronized (Checkpoint.PAIR_LOCK) {
                    Checkpoint.closeForShutdown();
                    if (m != null) {
                        m.run();
                    }
                }
            }, "bilinear-interrupt-message"));
        }
    }

    static void clear() {
        message = null;
    }
}
