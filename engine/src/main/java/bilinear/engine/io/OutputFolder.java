package bilinear.engine.io;

import bilinear.engine.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A folder of outputs (a report, a decomposition) written all or nothing: files go into a hidden
 * sibling {@code .NAME.tmp-PID}, and {@link #commit} renames it into place. Until then an existing
 * folder of that name is untouched; if the work fails or is interrupted (Ctrl-C) the temporary
 * folder is removed and the old one stays as it was. With {@code force}, an existing folder is
 * replaced only at commit time (moved aside, the new one renamed in, the old one deleted).
 */
public final class OutputFolder implements AutoCloseable {
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> IN_PROGRESS.forEach(OutputFolder::deleteQuietly),
                "bilinear-folder-cleanup"));
    }

    private final Path target;
    private final Path temp;
    private boolean committed;

    private OutputFolder(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Fails with one line unless {@code target} could be written: not an existing file, not an
     * existing non-empty folder unless {@code force}, and its parent a writable directory (created
     * if missing). Called before any work starts.
     */
    public static void check(Path target, boolean force) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new BadInputException("cannot write the folder " + target + ": a file of that name exists");
        }
        if (Files.isDirectory(abs) && !force && !isEmpty(abs)) {
            throw new BadInputException(target + " already exists; pass --force to replace it or choose another folder");
        }
        Path parent = abs.getParent();
        if (parent == null) {
            throw new BadInputException("cannot write the folder " + target + ": it has no parent directory");
        }
        if (Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new BadInputException("cannot write the folder " + target + ": " + parent + " is not a directory");
        }
        if (!Files.exists(parent)) {
            AtomicFiles.createDirectories(parent);
        }
        if (!Files.isWritable(parent)) {
            throw new BadInputException("cannot write the folder " + target + ": directory " + parent + " is not writable");
        }
    }

    /** Checks {@code target} and opens a temporary folder beside it. */
    public static OutputFolder open(Path target, boolean force) {
        check(target, force);
        Path abs = target.toAbsolutePath().normalize();
        Path temp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        deleteQuietly(temp);
        try {
            Files.createDirectories(temp);
        } catch (IOException e) {
            throw new BadInputException("cannot create " + temp + ": " + e.getMessage());
        }
        IN_PROGRESS.add(temp);
        return new OutputFolder(abs, temp);
    }

    /** Where the folder will be once committed. */
    public Path target() {
        return target;
    }

    /** Where {@code relative} is written before the commit, for writers that need a path (subfolders created). */
    public Path path(String relative) {
        Path p = temp.resolve(relative).normalize();
        if (!p.startsWith(temp)) {
            throw new IllegalArgumentException("path outside the folder: " + relative);
        }
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new BadInputException("cannot write " + target.resolve(relative) + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Writes {@code relative} (subfolders created as needed). */
    public void write(String relative, byte[] bytes) {
        Path p = path(relative);
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + target.resolve(relative) + ": " + e.getMessage(), e);
        }
    }

    public void write(String relative, String text) {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Moves the finished folder into place (replacing an old one only now). */
    public void commit() {
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + ProcessHandle.current().pid());
        try {
            boolean replacing = Files.exists(target);
            if (replacing) {
                deleteQuietly(old);
                Files.move(target, old);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            }
            committed = true;
            IN_PROGRESS.remove(temp);
            if (replacing) {
                deleteQuietly(old);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot move the finished folder into " + target + ": " + e.getMessage(), e);
        }
    }

    /** Removes the temporary folder unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteQuietly(temp);
            IN_PROGRESS.remove(temp);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
