package bilinear.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./bilinear} from the repository root as a separate process, as a user would. */
final class Launcher {
    private Launcher() {
    }

    static Path root() {
        return Path.of(System.getProperty("bilinear.root", "../..")).toAbsolutePath().normalize();
    }

    record Result(int code, String out, String err, double seconds) {
        /** stderr without the JDK's incubator warning. */
        String errorLines() {
            return String.join("\n", Arrays.stream(err.split("\n")).filter(l -> !l.startsWith("WARNING: Using incubator")).toList());
        }
    }

    static Process start(Path stdout, Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(root().resolve("bilinear").toString());
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).directory(root().toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    static Result run(Path scratch, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt"), err = Files.createTempFile(scratch, "err", ".txt");
        long t0 = System.nanoTime();
        Process p = start(out, err, args);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./bilinear " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), seconds);
    }
}
