package bilinear.cli;

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
                Runnable m = message;
                if (m != null) {
                    m.run();
                }
            }, "bilinear-interrupt-message"));
        }
    }

    static void clear() {
        message = null;
    }
}
