package dev.kcpasskeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules (CONTRIBUTING.md), read from the source: the ceremony core stays portable (JDK,
 * webauthn4j and Jackson only); every import runs down the floors CONTRIBUTING.md writes, so there
 * is no loop; only PasskeyStore touches Keycloak's credentials.
 */
class ArchitectureTest {

  static final Path CEREMONY_SOURCES = Path.of("src/main/java/dev/kcpasskeys/ceremony");
  static final Pattern IMPORT =
      Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  static final List<String> FORBIDDEN =
      List.of("org.keycloak.", "jakarta.", "javax.ws.", "org.jboss.");
  static final List<String> ALLOWED =
      List.of("java.", "com.webauthn4j.", "com.fasterxml.jackson.", "dev.kcpasskeys.ceremony.");

  @Test
  void ceremonyCoreImportsNeitherKeycloakNorJakarta() throws IOException {
    for (Path file : sources()) {
      for (String imported : imports(file)) {
        assertFalse(
            FORBIDDEN.stream().anyMatch(imported::startsWith), file + " imports " + imported);
      }
    }
  }

  @Test
  void ceremonyCoreImportsOnlyTheJdkWebauthn4jAndJackson() throws IOException {
    for (Path file : sources()) {
      for (String imported : imports(file)) {
        assertEquals(
            true, ALLOWED.stream().anyMatch(imported::startsWith), file + " imports " + imported);
      }
    }
  }

  @Test
  void ceremonyCoreDoesNotSpellOutKeycloakTypesFullyQualified() throws IOException {
    for (Path file : sources()) {
      String text = Files.readString(file);
      assertFalse(text.contains("org.keycloak.") || text.contains("jakarta."), file.toString());
    }
  }

  @Test
  void ceremonyClassesStaySmall() throws IOException {
    for (Path file : sources()) {
      long lines = Files.readAllLines(file).size();
      assertFalse(lines > 200, file + " has " + lines + " lines");
    }
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(CEREMONY_SOURCES)) {
      List<Path> java = files.filter(p -> p.toString().endsWith(".java")).toList();
      assertFalse(java.isEmpty(), "no sources found under " + CEREMONY_SOURCES.toAbsolutePath());
      return java;
    }
  }

  private static List<String> imports(Path file) throws IOException {
    return IMPORT.matcher(Files.readString(file)).results().map(m -> m.group(2)).toList();
  }

  private static final Path MAIN_SOURCES = Path.of("src/main/java/dev/kcpasskeys");
  private static final Pattern OWN_IMPORT =
      Pattern.compile("^import (?:static )?dev\\.kcpasskeys\\.([a-z]+)\\.", Pattern.MULTILINE);

  @Test
  void everyImportRunsDownTheFloorsOfContributingMd() throws IOException {
    Map<String, Integer> floor = floors();
    List<String> wrongWay = new ArrayList<>();
    for (Path file : packagedJavaFiles()) {
      String from = topPackage(file);
      assertTrue(floor.containsKey(from), "package " + from + " is on no floor of CONTRIBUTING.md");
      Matcher imported = OWN_IMPORT.matcher(Files.readString(file));
      while (imported.find()) {
        String to = imported.group(1);
        if (!to.equals(from) && floor.getOrDefault(to, Integer.MAX_VALUE) >= floor.get(from)) {
          wrongWay.add(MAIN_SOURCES.relativize(file) + " imports " + to);
        }
      }
    }
    assertEquals(List.of(), wrongWay, "imports that do not run down the floors " + floor);
  }

  /**
   * PasskeyStore is the one door to Keycloak's credentials: the credential package's other classes
   * that touch them (the stored format, sign-in recording) are package-private, reached through it.
   */
  @Test
  void onlyPasskeyStoreIsTheDoorToKeycloaksCredentials() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : mainJavaFiles()) {
      String source = Files.readString(file);
      if (!source.contains("credentialManager()")
          || file.endsWith("credential/PasskeyStore.java")) {
        continue;
      }
      if (!file.getParent().endsWith("credential") || source.contains("public final class")) {
        found.add(MAIN_SOURCES.relativize(file).toString());
      }
    }
    assertEquals(List.of(), found);
  }

  /** Sub-packages too (rest, rest/admin, rest/page, rest/realm): no import loop at any depth. */
  @Test
  void noPackageImportsItsWayBackToItself() throws IOException {
    Pattern fullImport =
        Pattern.compile("^import dev\\.kcpasskeys\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);
    Map<String, java.util.Set<String>> graph = new java.util.TreeMap<>();
    for (Path file : packagedJavaFiles()) {
      String from = MAIN_SOURCES.relativize(file.getParent()).toString().replace('/', '.');
      Matcher imported = fullImport.matcher(Files.readString(file));
      while (imported.find()) {
        if (!imported.group(1).equals(from)) {
          graph.computeIfAbsent(from, k -> new java.util.TreeSet<>()).add(imported.group(1));
        }
      }
    }
    List<String> loops = new ArrayList<>();
    for (String start : graph.keySet()) {
      java.util.Deque<String> todo = new java.util.ArrayDeque<>(graph.get(start));
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (!todo.isEmpty()) {
        String next = todo.pop();
        if (next.equals(start)) {
          loops.add(start);
          break;
        }
        if (seen.add(next)) {
          todo.addAll(graph.getOrDefault(next, java.util.Set.of()));
        }
      }
    }
    assertEquals(List.of(), loops, "packages that import their way back to themselves: " + graph);
  }

  @Test
  void theFloorsNameEveryPackage() throws IOException {
    TreeSet<String> packages = new TreeSet<>();
    for (Path file : packagedJavaFiles()) {
      packages.add(topPackage(file));
    }
    assertEquals(
        packages,
        new TreeSet<>(floors().keySet()),
        "CONTRIBUTING.md's floors and the code's packages");
  }

  /** {@code floors: a b > c > d}: a and b on the top floor (higher number), d at the bottom. */
  private static Map<String, Integer> floors() throws IOException {
    String line =
        Files.readAllLines(Path.of("CONTRIBUTING.md")).stream()
            .filter(l -> l.startsWith("floors:"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("CONTRIBUTING.md has no 'floors:' line"));
    String[] levels = line.substring("floors:".length()).split(">");
    Map<String, Integer> floor = new LinkedHashMap<>();
    for (int i = 0; i < levels.length; i++) {
      for (String name : levels[i].trim().split("\\s+")) {
        floor.put(name, levels.length - i);
      }
    }
    return floor;
  }

  private static List<Path> mainJavaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }

  /** Classes in a package below dev.kcpasskeys; the few beside it (ids) are below every floor. */
  private static List<Path> packagedJavaFiles() throws IOException {
    return mainJavaFiles().stream()
        .filter(f -> MAIN_SOURCES.relativize(f).getNameCount() > 1)
        .toList();
  }

  @Test
  void theIdsBesideThePackagesImportNothingOfOurs() throws IOException {
    for (Path file : mainJavaFiles()) {
      if (MAIN_SOURCES.relativize(file).getNameCount() == 1) {
        assertFalse(
            OWN_IMPORT.matcher(Files.readString(file)).find(),
            file + " imports one of our packages");
      }
    }
  }

  /** The first package below dev.kcpasskeys (rest/admin belongs to rest). */
  private static String topPackage(Path file) {
    return MAIN_SOURCES.relativize(file).getName(0).toString();
  }
}
