package bilinear.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;

/** Machine-readable results on stdout ({@code --json}). */
final class Json {
    private Json() {
    }

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    static void print(PrintWriter out, Object value) {
        out.println(GSON.toJson(value));
    }
}
