package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md, read from its tables and checked against every module's main
 * sources: each package has one {@code package-info.java} saying its role, threads and imports; a
 * module imports only the modules its row of "Module dependencies" lists; a server package only the
 * server packages its row lists. References are found in the code (imports, static imports and
 * fully qualified names), not in comments or strings.
 */
class ArchitectureTest {
    private static final String PREFIX = "org.spikeloop.";

    /** Generated code (the gRPC stubs) is not under src/main/java; its package names its module. */
    private static final Map<String, String> GENERATED = Map.of("org.spikeloop.proto", "proto");

    private static final Pattern REFERENCE =
            Pattern.compile("\\borg\\.spikeloop(?:\\.[a-z][a-z0-9_]*)+(?=\\s*\\.\\s*[A-Z*]|\\s*;)");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    private final Path root = RepositoryFiles.root();

    /** A module's main sources: package name → source files. */
    private Map<String, List<Path>> packages(String module) throws IOException {
        Path src = root.resolve(module).resolve("src/main/java");
        Map<String, List<Path>> out = new TreeMap<>();
        if (!Files.isDirectory(src)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
                out.computeIfAbsent(pkg, k -> new ArrayList<>()).add(f);
            }
        }
        return out;
    }

    /** The modules of the parent pom, in build order. */
    private List<String> modules() throws IOException {
        Matcher m =
                Pattern.compile("<module>([^<]+)</module>").matcher(read(root.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        assertThat(modules).as("modules of pom.xml").isNotEmpty();
        return modules;
    }

    @Test
    void shouldDocumentEveryMainPackageInOnePackageInfo() throws IOException {
        Map<String, List<Path>> infos = new TreeMap<>();
        for (String module : modules()) {
            for (Map.Entry<String, List<Path>> p : packages(module).entrySet()) {
                List<Path> here = infos.computeIfAbsent(p.getKey(), k -> new ArrayList<>());
                for (Path f : p.getValue()) {
                    if (f.getFileName().toString().equals("package-info.java")) {
                        here.add(root.relativize(f));
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : infos.entrySet()) {
            // A package split over two modules (bench adds a benchmark to adapters.lsl) is
            // documented once, where it lives.
            if (e.getValue().size() != 1) {
                problems.add(
                        e.getKey()
                                + ": "
                                + e.getValue().size()
                                + " package-info.java "
                                + e.getValue());
                continue;
            }
            String doc = read(root.resolve(e.getValue().get(0)));
            for (String part : List.of("/**", "Threads", "May import")) {
                if (!doc.contains(part)) {
                    problems.add(e.getValue().get(0) + ": no \"" + part + "\"");
                }
            }
        }
        assertThat(problems).as("packages without one complete package-info.java").isEmpty();
        assertThat(infos).as("main-code packages").isNotEmpty();
    }

    @Test
    void shouldImportOnlyTheModulesDocsArchitectureMdAllows() throws IOException {
        Map<String, Set<String>> allowed = moduleRules();
        assertThat(allowed.keySet())
                .as("every module of pom.xml has a row in the module dependency table")
                .containsAll(modules());
        Map<String, Set<String>> owners = new TreeMap<>(); // package -> modules defining it
        for (String module : modules()) {
            for (String pkg : packages(module).keySet()) {
                owners.computeIfAbsent(pkg, k -> new TreeSet<>()).add(module);
            }
        }
        List<String> violations = new ArrayList<>();
        for (String module : modules()) {
            for (Map.Entry<String, List<Path>> p : packages(module).entrySet()) {
                for (Path f : p.getValue()) {
                    for (String ref : references(read(f))) {
                        Set<String> target = ownersOf(ref, owners);
                        if (target.contains(module)) {
                            continue;
                        }
                        if (target.isEmpty()
                                || target.stream().noneMatch(allowed.get(module)::contains)) {
                            violations.add(
                                    root.relativize(f) + " -> " + ref + " (module " + target + ")");
                        }
                    }
                }
            }
        }
        assertThat(violations).as("imports docs/architecture.md does not allow").isEmpty();
    }

    @Test
    void shouldImportOnlyTheServerPackagesDocsArchitectureMdAllows() throws IOException {
        Map<String, Set<String>> allowed = serverRules();
        Map<String, List<Path>> server = packages("server");
        Set<String> listed = new TreeSet<>(allowed.keySet());
        assertThat(listed)
                .as("every server package has a row in the server dependency table")
                .containsAll(server.keySet());
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<Path>> p : server.entrySet()) {
            for (Path f : p.getValue()) {
                for (String ref : references(read(f))) {
                    String target = serverPackageOf(ref, server.keySet());
                    if (target == null || target.equals(p.getKey())) {
                        continue; // another module (the module rule's business), or itself
                    }
                    if (!allowed.get(p.getKey()).contains(target)) {
                        violations.add(root.relativize(f) + " -> " + target);
                    }
                }
            }
        }
        assertThat(violations).as("server imports docs/architecture.md does not allow").isEmpty();
    }

    @Test
    void shouldSeeReferencesInCodeOnly() {
        String src =
                "package org.spikeloop.x;\n"
                        + "import org.spikeloop.server.engine.EngineAgent;\n"
                        + "import static org.spikeloop.snn.spec.NeuronSpec.lif;\n"
                        + "import org.spikeloop.signal.*;\n"
                        + "/** {@link org.spikeloop.app.Main} */\n"
                        + "class A { // org.spikeloop.app.cli.Old\n"
                        + "  String s = \"org.spikeloop.app.demo.X\"; char c = '\"';\n"
                        + "  Object o = new org.spikeloop.learn.eprop.EpropConfig();\n"
                        + "  /* org.spikeloop.app.bench.Y */ String t = \"\"\"\n"
                        + "      org.spikeloop.app.Text\"\"\";\n"
                        + "}\n";

        assertThat(references(src))
                .containsExactlyInAnyOrder(
                        "org.spikeloop.x",
                        "org.spikeloop.server.engine",
                        "org.spikeloop.snn.spec",
                        "org.spikeloop.signal",
                        "org.spikeloop.learn.eprop");
    }

    /** The packages a source file refers to in its code. */
    static Set<String> references(String source) {
        Set<String> refs = new TreeSet<>();
        Matcher m = REFERENCE.matcher(codeOnly(source));
        while (m.find()) {
            refs.add(m.group());
        }
        return refs;
    }

    /** The source with comments, string, text-block and char literals blanked out. */
    static String codeOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            if (s.startsWith("//", i)) {
                int j = s.indexOf('\n', i);
                i = j < 0 ? n : j;
            } else if (s.startsWith("/*", i)) {
                int j = s.indexOf("*/", i + 2);
                i = j < 0 ? n : j + 2;
                out.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int j = s.indexOf("\"\"\"", i + 3);
                i = j < 0 ? n : j + 3;
                out.append("\"\"");
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char q = s.charAt(i);
                int j = i + 1;
                while (j < n && s.charAt(j) != q) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(q).append(q);
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The modules that define {@code ref} (or the package it is nested in). */
    private static Set<String> ownersOf(String ref, Map<String, Set<String>> owners) {
        for (String p = ref; p.startsWith(PREFIX); p = p.substring(0, p.lastIndexOf('.'))) {
            if (owners.containsKey(p)) {
                return owners.get(p);
            }
            if (GENERATED.containsKey(p)) {
                return Set.of(GENERATED.get(p));
            }
        }
        return Set.of();
    }

    /**
     * The server package {@code ref} names, by its table name ({@code root}, {@code engine}...).
     */
    private static String serverPackageOf(String ref, Set<String> serverPackages) {
        for (String p = ref; p.startsWith(PREFIX); p = p.substring(0, p.lastIndexOf('.'))) {
            if (serverPackages.contains(p)) {
                return p;
            }
        }
        return null;
    }

    /** The module table: module → the modules it may import. */
    private Map<String, Set<String>> moduleRules() throws IOException {
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        for (List<String> row : table("| layer | module | may import (Spikeloop modules) |")) {
            Set<String> allowed = new TreeSet<>(ticked(row.get(2)));
            for (String module : ticked(row.get(1))) {
                rules.put(module, allowed);
            }
        }
        return rules;
    }

    /**
     * The server package table: package → the server packages it may import. A cell names the
     * packages in backticks ({@code root} is {@code org.spikeloop.server} itself); "every package
     * above" means every package of the rows above.
     */
    private Map<String, Set<String>> serverRules() throws IOException {
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        String server = PREFIX + "server";
        for (List<String> row :
                table("| layer | package | role | may import (server packages) |")) {
            if (!row.get(0).matches("\\d+")) {
                continue; // the application's row: not a server package
            }
            Set<String> allowed = new TreeSet<>();
            if (row.get(3).contains("every package above")) {
                allowed.addAll(rules.keySet());
            }
            for (String name : ticked(row.get(3))) {
                allowed.add(name.equals(server) ? server : server + "." + name);
            }
            if (row.get(3).matches(".*\\broot\\b.*")) {
                allowed.add(server);
            }
            for (String name : ticked(row.get(1))) {
                rules.put(name.equals(server) ? server : server + "." + name, allowed);
            }
        }
        assertThat(rules).as("server dependency table").isNotEmpty();
        return rules;
    }

    private static List<String> ticked(String cell) {
        List<String> names = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The rows (cells trimmed) of the table in docs/architecture.md that starts with {@code
     * header}.
     */
    private List<List<String>> table(String header) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("docs/architecture.md"));
        int at = lines.indexOf(header);
        assertThat(at).as("docs/architecture.md has the table " + header).isNotNegative();
        List<List<String>> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            List<String> cells = new ArrayList<>();
            for (String c : line.substring(1, line.length() - 1).split("\\|", -1)) {
                cells.add(c.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
