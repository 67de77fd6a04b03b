package bilinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as a user runs them: exit codes and what is printed, with captured streams.
 * Bad input must give one clear line, a non-zero exit, and leave every existing file as it was.
 */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        /** stderr without the JDK's incubator warning. */
        String errorLines() {
            return Arrays.stream(err.split("\n")).filter(l -> !l.startsWith("WARNING: Using incubator")).reduce("", (a, b) -> a + b + "\n");
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts a failure with the given exit code whose only error line mentions {@code fragment}. */
    static void assertFails(Run r, ExitCode code, String fragment) {
        assertEquals(code.code, r.code(), "exit code; stderr: " + r.err());
        String[] lines = r.errorLines().strip().split("\n");
        assertTrue(lines[0].startsWith("error: "), "one error line first: " + r.err());
        assertTrue(lines[0].contains(fragment), "'" + fragment + "' in: " + lines[0]);
        assertFalse(r.err().contains("\tat "), "no stack trace without --stacktrace: " + r.err());
    }

    String tinyTrain(Path out, String... extra) {
        String[] base = {"train", "--hidden", "16", "--epochs", "1", "--batch", "200", "--out", out.toString(), "--threads", "2"};
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        Run r = run(all);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void trainsEvaluatesAndResumes() throws IOException {
        Path ckpt = dir.resolve("m.safetensors");
        String out = tinyTrain(ckpt);
        assertTrue(out.contains("test accuracy"), out);
        assertTrue(Files.exists(ckpt) && Files.exists(dir.resolve("m.state.safetensors")));

        Run eval = run("eval", ckpt.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        JsonObject o = JsonParser.parseString(eval.out()).getAsJsonObject();
        assertEquals(2000, o.get("samples").getAsInt());
        assertTrue(o.get("accuracy").getAsDouble() > 0.3, "well above chance (0.1) after 40 small updates: " + eval.out());

        Run resumed = run("train", "--resume", ckpt.toString(), "--epochs", "2", "--json");
        assertEquals(0, resumed.code(), resumed.err());
        JsonObject r = JsonParser.parseString(resumed.out()).getAsJsonObject();
        assertEquals(2, r.getAsJsonArray("history").size());
        assertTrue(resumed.err().contains("resuming after epoch 1"), resumed.err());
    }

    @Test
    void evaluatesAReferencePyTorchCheckpoint() {
        Run r = run("eval", Path.of("..", "src", "fixtures", "torch_classifier.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("accuracy"), r.out());
    }

    @Test
    void invalidOptionsFailBeforeAnyWork() {
        Path out = dir.resolve("never.safetensors");
        assertFails(run("train", "--epochs", "-3", "--out", out.toString()), ExitCode.BAD_INPUT, "--epochs must be at least 1");
        assertFails(run("train", "--dataset", "cifar10", "--out", out.toString()), ExitCode.BAD_INPUT, "unknown dataset 'cifar10'");
        assertFails(run("train", "--dataset", "mnist", "--out", out.toString()), ExitCode.BAD_INPUT, "--data-dir");
        assertFails(run("train", "--dataset", "fashion-mnist", "--data-dir", dir.resolve("nope").toString(), "--out", out.toString()),
                ExitCode.BAD_INPUT, "does not exist");
        assertFails(run("train", "--lr", "-1", "--out", out.toString()), ExitCode.BAD_INPUT, "--lr must be a positive number");
        assertFails(run("train", "--gate", "tanh", "--out", out.toString()), ExitCode.BAD_INPUT, "unknown gate 'tanh'");
        assertFails(run("train", "--backend", "tpu", "--out", out.toString()), ExitCode.BAD_INPUT, "unknown backend 'tpu'");
        assertFails(run("train", "--threads", "0", "--out", out.toString()), ExitCode.BAD_INPUT, "--threads must be between");
        assertFails(run("train", "--epochs", "two"), ExitCode.USAGE, "'two'");
        assertFails(run("train", "--no-such-option"), ExitCode.USAGE, "--no-such-option");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aNamedBackendThatCannotRunIsAnErrorNotADowngrade() {
        assertFails(run("train", "--backend", "cuda", "--out", dir.resolve("x.safetensors").toString()),
                ExitCode.UNAVAILABLE, "backend cuda is not available");
    }

    @Test
    void unwritableOutputsAreRefusedUpFront() throws IOException {
        Path readOnly = dir.resolve("ro");
        Files.createDirectories(readOnly);
        assertTrue(readOnly.toFile().setWritable(false));
        try {
            if (Files.isWritable(readOnly)) {
                return;  // running as root: permissions are not enforced; the directory case below still runs
            }
            assertFails(run("train", "--out", readOnly.resolve("m.safetensors").toString()), ExitCode.BAD_INPUT, "not writable");
        } finally {
            readOnly.toFile().setWritable(true);
        }
    }

    @Test
    void anOutputThatIsADirectoryOrUnderAFileIsRefused() throws IOException {
        Files.createDirectories(dir.resolve("adir"));
        assertFails(run("train", "--out", dir.resolve("adir").toString()), ExitCode.BAD_INPUT, "already exists");
        assertFails(run("train", "--out", dir.resolve("adir").toString(), "--force"), ExitCode.BAD_INPUT, "is a directory");
        Files.writeString(dir.resolve("afile"), "x");
        assertFails(run("train", "--out", dir.resolve("afile").resolve("m.safetensors").toString()), ExitCode.BAD_INPUT, "is not a directory");
    }

    @Test
    void anExistingCheckpointIsNotOverwrittenWithoutForce() throws IOException {
        Path ckpt = dir.resolve("keep.safetensors");
        tinyTrain(ckpt);
        byte[] before = Files.readAllBytes(ckpt);
        assertFails(run("train", "--hidden", "8", "--out", ckpt.toString()), ExitCode.BAD_INPUT, "already exists; pass --force");
        assertArrayEquals(before, Files.readAllBytes(ckpt));
    }

    @Test
    void malformedCheckpointsAreRefusedAndLeftAlone() throws IOException {
        Path good = dir.resolve("good.safetensors");
        tinyTrain(good);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path badHeader = dir.resolve("badheader.safetensors");
        byte[] bh = bytes.clone();
        bh[9] = '!';
        Files.write(badHeader, bh);
        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a model");

        for (Path p : new Path[] {truncated, badHeader, garbage}) {
            byte[] was = Files.readAllBytes(p);
            assertFails(run("eval", p.toString()), ExitCode.BAD_INPUT, p.toString());
            assertFails(run("train", "--resume", p.toString(), "--epochs", "3"), ExitCode.BAD_INPUT, p.toString());
            assertArrayEquals(was, Files.readAllBytes(p), "left as it was: " + p);
        }
        assertFails(run("eval", truncated.toString()), ExitCode.BAD_INPUT, "truncated");
        assertFails(run("eval", badHeader.toString()), ExitCode.BAD_INPUT, "invalid JSON");
        assertFails(run("eval", dir.resolve("missing.safetensors").toString()), ExitCode.BAD_INPUT, "no such checkpoint");
    }

    @Test
    void wrongShapesDtypesAndNaNWeightsAreRefused() throws IOException {
        Path good = dir.resolve("good.safetensors");
        tinyTrain(good);
        String header = headerOf(good);
        // a shape that no longer matches the data, a dtype that cannot hold weights, a NaN
        Path shape = rewriteHeader(good, "shape", header.replace("\"shape\":[16,784]", "\"shape\":[784,16]"));
        assertFails(run("eval", shape.toString()), ExitCode.BAD_INPUT, "embed.weight");
        Path dtype = rewriteHeader(good, "dtype", header.replaceFirst("\"dtype\":\"F32\"", "\"dtype\":\"I32\""));
        assertFails(run("eval", dtype.toString()), ExitCode.BAD_INPUT, "dtype I32");
        byte[] nan = Files.readAllBytes(good);
        int data = 8 + header.getBytes(StandardCharsets.UTF_8).length;
        nan[data] = 0;
        nan[data + 1] = 0;
        nan[data + 2] = (byte) 0xC0;
        nan[data + 3] = 0x7F;
        Path nanFile = dir.resolve("nan.safetensors");
        Files.write(nanFile, nan);
        assertFails(run("eval", nanFile.toString()), ExitCode.BAD_INPUT, "contains NaN");
    }

    private static String headerOf(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        long n = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(b, 8, (int) n, StandardCharsets.UTF_8);
    }

    private Path rewriteHeader(Path p, String name, String header) throws IOException {
        byte[] b = Files.readAllBytes(p);
        int old = headerOf(p).getBytes(StandardCharsets.UTF_8).length;
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + h.length + b.length - 8 - old).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).put(b, 8 + old, b.length - 8 - old);
        Path out = dir.resolve(name + ".safetensors");
        Files.write(out, buf.array());
        return out;
    }

    @Test
    void infoAndHelpAndStacktrace() {
        Run info = run("info", "--json");
        assertEquals(0, info.code(), info.err());
        JsonObject o = JsonParser.parseString(info.out()).getAsJsonObject();
        assertTrue(o.get("backend").getAsString().startsWith("simd"), info.out());
        assertTrue(o.getAsJsonArray("backend_log").toString().contains("self-check"), info.out());
        assertTrue(o.get("eigensolver").getAsString().startsWith("divide and conquer on double kernels simd-"), info.out());
        assertTrue(o.get("eigensolver").getAsString().contains("single precision on float kernels simd-"), info.out());
        Run scalar = run("info", "--backend", "scalar");
        assertTrue(scalar.out().contains("backend    scalar"), scalar.out());
        Run help = run("--help");
        assertEquals(0, help.code());
        for (String cmd : new String[] {"demo", "train", "eval", "info"}) {
            assertTrue(help.out().contains(cmd), help.out());
        }
        Run trace = run("eval", dir.resolve("missing.safetensors").toString(), "--stacktrace");
        assertEquals(ExitCode.BAD_INPUT.code, trace.code());
        assertTrue(trace.err().contains("\tat "), "--stacktrace shows the trace: " + trace.err());
    }
}
