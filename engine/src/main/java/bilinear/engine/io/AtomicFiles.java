package bilinear.engine.io;

import bilinear.engine.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Writes a file so that readers see either the old contents or the complete new ones: write a
 * temporary file beside the target, flush it to disk, then rename it over the target. If the
 * process is interrupted (Ctrl-C) the target is untouched and a shutdown hook removes the
 * temporary file.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();
    /**
     * Writes hold the read side; the shutdown hook takes the write side, so on Ctrl-C it first lets
     * writes in progress finish (up to {@link #SHUTDOWN_WAIT_SECONDS}) and only then removes what
     * is left. Deleting a temporary file under a running write would turn a clean interrupt into
     * a failed write.
     */
    private static final ReentrantReadWriteLock WRITES = new ReentrantReadWriteLock();
    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean locked = false;
            try {
                locked = WRITES.writeLock().tryLock(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Path p : IN_PROGRESS) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort while the JVM exits
                }
            }
            if (locked) {
                WRITES.writeLock().unlock();
            }
        }, "bilinear-temp-cleanup"));
    }

    /** Body of a write: fills the channel of the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void write(FileChannel channel) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        WRITES.readLock().lock();
        try {
            writeLocked(target, writer);
        } finally {
            WRITES.readLock().unlock();
        }
    }

    private static void writeLocked(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        checkWritableDirectory(dir, target);
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        IN_PROGRESS.add(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                writer.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (AccessDeniedException e) {
            throw new BadInputException("cannot write " + target + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the rename normally consumed it
            }
            IN_PROGRESS.remove(tmp);
        }
    }

    /**
     * Fails with a clear message unless {@code target} could be written: its directory exists and
     * is writable, and the target itself is not a directory. Used before long work starts.
     */
    public static void checkWritable(Path target) {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new BadInputException("cannot write " + target + ": it is a directory");
        }
        checkWritableDirectory(abs.getParent(), target);
        if (Files.exists(abs) && !Files.isWritable(abs)) {
            throw new BadInputException("cannot write " + target + ": permission denied");
        }
    }

    private static void checkWritableDirectory(Path dir, Path target) {
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("cannot write " + target + ": " + dir + " is not a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException("cannot write " + target + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException("cannot write " + target + ": directory " + dir + " is not writable");
        }
    }

    /**
     * Before long work that ends by writing the file {@code out}: refuses an existing file unless
     * {@code force}, or unless it is {@code resume} itself (continuing a run in place; null when
     * not resuming), creates its directory, and checks that it can be written.
     */
    public static void checkNewOutput(Path out, boolean force, Path resume) {
        try {
            boolean resumingInPlace = resume != null && Files.exists(out) && Files.isSameFile(out, resume);
            if (Files.exists(out) && !force && !resumingInPlace) {
                throw new BadInputException(out + " already exists; pass --force to overwrite it or --out to choose another file");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) {
            createDirectories(parent);
        }
        checkWritable(out);
    }

    /** Creates a directory (and parents) for output, or explains why not. */
    public static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw new BadInputException("cannot create directory " + dir + ": permission denied or missing parent");
        } catch (IOException e) {
            throw new BadInputException("cannot create directory " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException("directory " + dir + " is not writable");
        }
    }
}
