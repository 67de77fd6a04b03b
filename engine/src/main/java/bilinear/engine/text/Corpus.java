package bilinear.engine.text;

import bilinear.engine.BadInputException;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training text and its train/validation split.
 *
 * <p>Sources: the King James Bible from Debian, read one verse per line through the {@code bible}
 * program of {@code bible-kjv} (the text itself is in {@code bible-kjv-text}); TinyStories-style
 * files where stories are separated by {@code <|endoftext|>}; JSON lines with a {@code "text"}
 * field; any plain text. Documents are joined with a blank line.
 *
 * <p>Split: the text is cut into 20 contiguous blocks at line ends and the last 5% of each block
 * (by bytes, again at a line end) goes to validation, so validation samples the whole corpus and no
 * line is in both. A separate validation file replaces the split.
 */
public record Corpus(String name, String train, String validation) {
    public static final String END_OF_TEXT = "<|endoftext|>";
    static final int BLOCKS = 20;
    static final double VALIDATION_FRACTION = 0.05;
    private static final Pattern KJV_REFERENCE = Pattern.compile("^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ ");

    public long validationBytes() {
        return validation.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The King James Bible, through Debian's {@code bible} program. */
    public static String kjvText() {
        Process p;
        try {
            p = new ProcessBuilder("bible", "-f", "-m", "8192", "Gen1:1-Rev22:21")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new BadInputException("the kjv corpus needs Debian's bible program (apt-get install bible-kjv)");
        }
        String raw;
        try (InputStream in = p.getInputStream()) {
            raw = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (p.waitFor() != 0) {
                throw new BadInputException("the 'bible' program failed (exit " + p.exitValue() + "); is bible-kjv installed?");
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read the output of 'bible': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInputException("interrupted while reading the kjv corpus");
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (String line : raw.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = KJV_REFERENCE.matcher(line);
            if (!m.find()) {
                throw new BadInputException("unexpected line from 'bible': " + line.substring(0, Math.min(40, line.length())));
            }
            out.append(line.substring(m.end()).strip()).append('\n');
        }
        return out.toString();
    }

    /** Reads a text corpus file: JSON lines ({@code .jsonl}/{@code .json}), or text with optional {@code <|endoftext|>} separators. */
    public static String readFile(Path path) {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("no such corpus file: " + path);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException(path + " is not UTF-8 text");
        } catch (IOException e) {
            throw new BadInputException("cannot read " + path + ": " + e.getMessage());
        }
        List<String> docs = new ArrayList<>();
        String name = path.getFileName().toString();
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            int lineNo = 0;
            for (String line : content.split("\n")) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonElement e = JsonParser.parseString(line);
                    JsonElement text = e.isJsonObject() ? e.getAsJsonObject().get("text") : null;
                    if (text == null || !text.isJsonPrimitive()) {
                        throw new BadInputException(path + ":" + lineNo + ": a JSON line without a \"text\" string");
                    }
                    docs.add(text.getAsString().strip());
                } catch (JsonParseException ex) {
                    throw new BadInputException(path + ":" + lineNo + ": not valid JSON");
                }
            }
        } else {
            for (String doc : content.split(Pattern.quote(END_OF_TEXT))) {
                if (!doc.isBlank()) {
                    docs.add(doc.strip());
                }
            }
        }
        if (docs.isEmpty()) {
            throw new BadInputException(path + " holds no text");
        }
        return String.join("\n\n", docs) + "\n";
    }

    /** Smallest index ≥ pos just after a newline (or the end). */
    static int cutAtNewline(String text, int pos) {
        if (pos <= 0) {
            return 0;
        }
        int j = text.indexOf('\n', pos - 1);
        return j < 0 ? text.length() : j + 1;
    }

    /** The 20-block 95/5 split of {@code text} (positions are characters; the corpora used here are ASCII). */
    public static Corpus split(String name, String text) {
        StringBuilder train = new StringBuilder(text.length()), val = new StringBuilder(text.length() / 16);
        int[] bounds = new int[BLOCKS + 1];
        for (int i = 0; i <= BLOCKS; i++) {
            bounds[i] = cutAtNewline(text, (int) Math.round((double) i * text.length() / BLOCKS));
        }
        for (int i = 0; i < BLOCKS; i++) {
            int a = bounds[i], b = bounds[i + 1];
            int c = Math.min(cutAtNewline(text, a + (int) Math.round((b - a) * (1 - VALIDATION_FRACTION))), b);
            train.append(text, a, c);
            val.append(text, c, b);
        }
        if (train.isEmpty() || val.isEmpty()) {
            throw new BadInputException(name + ": too little text to split into training and validation (" + text.length() + " characters)");
        }
        return new Corpus(name, train.toString(), val.toString());
    }

    /** Loads a named corpus ({@code kjv}) or a file; {@code validationFile} may be null. */
    public static Corpus load(String source, Path validationFile) {
        String text = source.equals("kjv") ? kjvText() : readFile(Path.of(source));
        String name = source.equals("kjv") ? "kjv" : Path.of(source).getFileName().toString();
        if (validationFile != null) {
            return new Corpus(name, text, readFile(validationFile));
        }
        return split(name, text);
    }
}
