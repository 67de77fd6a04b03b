package bilinear.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void splitsTwentyBlocksAtLineEndsFivePercentToValidation() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("line number ").append(i).append('\n');
        }
        String text = sb.toString();
        Corpus c = Corpus.split("t", text);
        assertEquals(text.length(), c.train().length() + c.validation().length());
        double fraction = c.validation().length() / (double) text.length();
        assertTrue(fraction > 0.04 && fraction < 0.06, "about 5%: " + fraction);
        assertTrue(c.validation().startsWith("line number") && c.validation().endsWith("\n"), "whole lines");
        String[] valLines = c.validation().split("\n");
        int firstLine = Integer.parseInt(valLines[0].replace("line number ", ""));
        assertTrue(firstLine < 150, "the first block contributes validation lines: " + valLines[0]);
        assertEquals("line number 1999", valLines[valLines.length - 1], "so does the last");
        for (String line : c.validation().split("\n")) {
            assertTrue(!c.train().contains(line + "\n") || line.isEmpty() || c.train().contains("\n" + line + "0"), "no line in both: " + line);
        }
    }

    @Test
    void readsTinyStoriesTextAndJsonLines() throws IOException {
        Path txt = dir.resolve("stories.txt");
        Files.writeString(txt, "Once upon a time.\n<|endoftext|>\nThe end.<|endoftext|>  \n");
        assertEquals("Once upon a time.\n\nThe end.\n", Corpus.readFile(txt));
        Path jsonl = dir.resolve("stories.jsonl");
        Files.writeString(jsonl, "{\"text\": \"One.\"}\n\n{\"text\": \"Two \\\"quoted\\\".\"}\n");
        assertEquals("One.\n\nTwo \"quoted\".\n", Corpus.readFile(jsonl));
        Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"ok\"}\n{\"story\": 1}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Corpus.readFile(dir.resolve("bad.jsonl")));
        assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
        assertThrows(BadInputException.class, () -> Corpus.readFile(dir.resolve("missing.txt")));
        Files.writeString(dir.resolve("empty.txt"), " <|endoftext|> ");
        assertThrows(BadInputException.class, () -> Corpus.readFile(dir.resolve("empty.txt")));
    }
}
