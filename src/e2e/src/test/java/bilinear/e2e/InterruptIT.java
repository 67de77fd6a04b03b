package bilinear.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during training: the last completed checkpoint stays intact and resumable. */
class InterruptIT {
    @TempDir
    Path dir;

    @Test
    void ctrlCLeavesTheLastCheckpointIntact() throws Exception {
        Path ckpt = dir.resolve("run.safetensors");
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = Launcher.start(out, err, "train", "--hidden", "64", "--epochs", "200", "--out", ckpt.toString());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(ckpt) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(ckpt), "a first checkpoint appears: " + Files.readString(err));
        Thread.sleep(300);  // let it get into the middle of a later epoch, perhaps of a write
        // the launcher execs java, so this is the JVM: SIGINT as a terminal's Ctrl-C sends it
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(130, p.exitValue(), "128 + SIGINT");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(stderr.contains("interrupted; " + ckpt + " holds the model after epoch"), stderr);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), "no temporary file left");
        }
        Launcher.Result eval = Launcher.run(dir, "eval", ckpt.toString());
        assertEquals(0, eval.code(), "the checkpoint loads: " + eval.err());
        Launcher.Result resumed = Launcher.run(dir, "train", "--resume", ckpt.toString(), "--epochs", "1");
        assertEquals(3, resumed.code(), "asking for fewer epochs than done is refused: " + resumed.err());
        assertTrue(resumed.err().contains("already done"), resumed.err());
    }
}
