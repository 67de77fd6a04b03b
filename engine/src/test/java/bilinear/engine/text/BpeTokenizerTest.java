package bilinear.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {
    @TempDir
    Path dir;

    static final String TEXT = "the cat sat on the mat. the cat ate the rat!\nThe 3 cats sat; 42 rats ran.\n\n  indented  ünïcode “quotes”\n";

    @Test
    void pretokensFollowTheGpt2Pattern() {
        assertEquals(List.of("the", " cat", " sat", ".", "\n ", " x"), BpeTokenizer.pretokenize("the cat sat.\n  x", false));
        assertEquals(List.of("a", " 42", "!!", " b"), BpeTokenizer.pretokenize("a 42!! b", false));
        assertEquals(List.of("shout"), BpeTokenizer.pretokenize("SHOUT", true));
    }

    @Test
    void firstMergesAreTheMostFrequentPairsWithSmallestIdsOnTies() {
        // "aa" occurs in every word and more than any other pair
        BpeTokenizer t = BpeTokenizer.train("aab aac aad", 258, false);
        assertEquals(258, t.vocabSize());
        assertArrayEquals(new int[] {256, 'b'}, t.encode("aab"));
        // then ' ' + 'aa' (twice) beats the single pairs
        assertArrayEquals(new int[] {257, 'c'}, t.encode(" aac"));
    }

    @Test
    void encodingRoundTripsAndMatchesTheTrainingSegmentation() {
        BpeTokenizer t = BpeTokenizer.train(TEXT.repeat(3), 300, false);
        int[] ids = t.encode(TEXT);
        assertEquals(TEXT, t.decode(ids));
        assertTrue(ids.length < TEXT.length() / 2, "merges compress: " + ids.length + " ids for " + TEXT.length() + " characters");
        BpeTokenizer lower = BpeTokenizer.train(TEXT, 280, true);
        assertEquals(TEXT.toLowerCase(java.util.Locale.ROOT), lower.decode(lower.encode(TEXT)));
    }

    @Test
    void savesAndLoadsTheSharedJsonFormat() throws IOException {
        BpeTokenizer t = BpeTokenizer.train(TEXT, 290, true);
        Path p = dir.resolve("tok.json");
        t.save(p);
        BpeTokenizer back = BpeTokenizer.load(p);
        assertEquals(290, back.vocabSize());
        assertTrue(back.lowercase());
        assertArrayEquals(t.encode(TEXT), back.encode(TEXT));
        assertTrue(Files.readString(p).contains("\"merges\":[["), "merges as id pairs");
        Files.writeString(dir.resolve("bad.json"), "{\"merges\": [[300, 1]]}");
        BadInputException e = assertThrows(BadInputException.class, () -> BpeTokenizer.load(dir.resolve("bad.json")));
        assertTrue(e.getMessage().contains("not yet defined"), e.getMessage());
        assertThrows(BadInputException.class, () -> BpeTokenizer.load(dir.resolve("missing.json")));
        Files.writeString(dir.resolve("junk.json"), "not json");
        assertThrows(BadInputException.class, () -> BpeTokenizer.load(dir.resolve("junk.json")));
        assertThrows(BadInputException.class, () -> BpeTokenizer.train(TEXT, 100, false));
    }
}
