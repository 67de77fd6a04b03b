package bilinear.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the layout, checked on the sources: {@code linalg ← engine ← {cli, bench}};
 * only {@code bilinear.linalg.simd} imports the Vector API; only {@code linalg} sees EJML; FFM
 * downcalls (Linker, SymbolLookup) only in {@code bilinear.linalg.cuda}.
 */
class ArchitectureTest {
    record Source(String module, String pkg, Path file, List<String> imports) {
    }

    static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        for (String module : new String[] {"linalg", "engine", "cli", "bench"}) {
            Path dir = Launcher.root().resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    String pkg = lines.stream().filter(l -> l.startsWith("package ")).findFirst().orElse("package ;")
                            .replace("package ", "").replace(";", "").trim();
                    List<String> imports = lines.stream().filter(l -> l.startsWith("import "))
                            .map(l -> l.replace("import static ", "").replace("import ", "").replace(";", "").trim()).toList();
                    out.add(new Source(module, pkg, f, imports));
                }
            }
        }
        return out;
    }

    @Test
    void dependenciesPointOneWay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            for (String imp : s.imports()) {
                boolean backward = switch (s.module()) {
                    case "linalg" -> imp.startsWith("bilinear.engine") || imp.startsWith("bilinear.cli") || imp.startsWith("bilinear.bench");
                    case "engine" -> imp.startsWith("bilinear.cli") || imp.startsWith("bilinear.bench");
                    case "cli" -> imp.startsWith("bilinear.bench");
                    case "bench" -> imp.startsWith("bilinear.cli");
                    default -> false;
                };
                if (backward) {
                    violations.add(s.file() + " imports " + imp);
                }
                if (imp.startsWith("jdk.incubator.vector") && !s.pkg().equals("bilinear.linalg.simd")) {
                    violations.add(s.file() + " uses the Vector API outside bilinear.linalg.simd");
                }
                if (imp.startsWith("org.ejml") && !s.module().equals("linalg")) {
                    violations.add(s.file() + " uses EJML outside linalg");
                }
                if ((imp.equals("java.lang.foreign.Linker") || imp.equals("java.lang.foreign.SymbolLookup"))
                        && !s.pkg().equals("bilinear.linalg.cuda")) {
                    violations.add(s.file() + " makes FFM downcalls outside bilinear.linalg.cuda");
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    @Test
    void theScanSeesTheWholeProject() throws IOException {
        List<Source> all = sources();
        assertTrue(all.stream().anyMatch(s -> s.pkg().equals("bilinear.linalg.simd") && s.imports().stream().anyMatch(i -> i.startsWith("jdk.incubator.vector"))),
                "the SIMD package is found and imports the Vector API");
        assertTrue(all.size() > 40, "found " + all.size() + " source files");
    }
}
