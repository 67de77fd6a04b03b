package bilinear.e2e;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket from java.net.http): open a
 * page, wait for it to load, evaluate JavaScript, collect console errors, take a full-page
 * screenshot. Started with the flags that keep it off the network (no background requests, no
 * component updates, no QUIC), with a fresh profile every time.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private int nextId = 1;

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static Chromium start(Path profile) throws Exception {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1100,900", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (var t : JsonParser.parseString(list).getAsJsonArray()) {
            if (t.getAsJsonObject().get("type").getAsString().equals("page")) {
                ws = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                break;
            }
        }
        if (ws == null) {
            p.destroyForcibly();
            throw new IOException("no page target in " + list);
        }
        Chromium[] self = new Chromium[1];
        Listener listener = new Listener(self);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), listener).get(30, TimeUnit.SECONDS);
        self[0] = new Chromium(p, profile, socket);
        return self[0];
    }

    /** Sends a command and waits for its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id;
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        synchronized (this) {
            id = nextId++;
            pending.put(id, f);
        }
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params == null ? new JsonObject() : params);
        socket.sendText(msg.toString(), true).get(30, TimeUnit.SECONDS);
        JsonObject reply = f.get(120, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IOException(method + ": " + reply.get("error"));
        }
        return reply.getAsJsonObject("result");
    }

    /** Opens {@code url}, waiting for the load event; console errors from then on are collected. */
    void open(String url) throws Exception {
        call("Runtime.enable", null);
        call("Log.enable", null);
        call("Page.enable", null);
        JsonObject p = new JsonObject();
        p.addProperty("url", url);
        call("Page.navigate", p);
        loaded.get(120, TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression (JSON-serialisable). */
    String evaluate(String expression) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        JsonObject r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IOException("evaluation failed: " + r.get("exceptionDetails"));
        }
        return r.getAsJsonObject("result").get("value").getAsString();
    }

    /** A PNG of the whole page, not just the viewport. */
    byte[] screenshot() throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        p.addProperty("captureBeyondViewport", true);
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", p).get("data").getAsString());
    }

    /** Console errors, uncaught exceptions and failed loads reported so far. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws IOException {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        // Chromium's helper processes (renderer, zygote, GPU) outlive the main one for a moment and
        // keep writing into the profile; wait for all of them, or deleting the profile races them.
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.add(process.toHandle());
        family.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : family) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                h.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (String link : new String[] {"SingletonLock", "SingletonSocket", "SingletonCookie"}) {
            Files.deleteIfExists(profile.resolve(link));   // symlinks out of the profile; JUnit's @TempDir warns about them
        }
    }

    private void onMessage(JsonObject m) {
        if (m.has("id")) {
            CompletableFuture<JsonObject> f = pending.remove(m.get("id").getAsInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        String method = m.has("method") ? m.get("method").getAsString() : "";
        JsonObject params = m.has("params") ? m.getAsJsonObject("params") : new JsonObject();
        switch (method) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("uncaught: " + params.getAsJsonObject("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                String type = params.get("type").getAsString();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + params.get("args"));
                }
            }
            case "Log.entryAdded" -> {
                JsonObject entry = params.getAsJsonObject("entry");
                if (entry.get("level").getAsString().equals("error")) {
                    errors.add("log: " + entry.get("text").getAsString() + (entry.has("url") ? " (" + entry.get("url").getAsString() + ")" : ""));
                }
            }
            default -> {
            }
        }
    }

    /** Reassembles fragmented text frames into messages. */
    private static final class Listener implements WebSocket.Listener {
        private final Chromium[] owner;
        private final StringBuilder buffer = new StringBuilder();

        Listener(Chromium[] owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                JsonObject m = JsonParser.parseString(buffer.toString()).getAsJsonObject();
                buffer.setLength(0);
                while (owner[0] == null) {
                    Thread.onSpinWait();
                }
                owner[0].onMessage(m);
            }
            ws.request(1);
            return null;
        }
    }
}
