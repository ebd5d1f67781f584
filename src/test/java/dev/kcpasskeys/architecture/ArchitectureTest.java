package dev.kcpasskeys.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The house rules in CONTRIBUTING.md, read from the import lines of the main code: every import
 * runs down the floors written there (no package imports one on its own floor or above, so there is
 * no loop), and the WebAuthn ceremony stays pure Java over webauthn4j, without Keycloak.
 */
class ArchitectureTest {

  private static final Path MAIN = Path.of("src/main/java/dev/kcpasskeys");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?dev\\.kcpasskeys\\.([a-z]+)\\.", Pattern.MULTILINE);

  @Test
  void everyImportRunsDownTheFloorsOfContributingMd() throws IOException {
    Map<String, Integer> floor = floors();
    List<String> wrongWay = new ArrayList<>();
    for (Path file : javaFiles()) {
      String from = topPackage(file);
      assertTrue(floor.containsKey(from), "package " + from + " is on no floor of CONTRIBUTING.md");
      Matcher imported = IMPORT.matcher(Files.readString(file));
      while (imported.find()) {
        String to = imported.group(1);
        if (!to.equals(from) && floor.getOrDefault(to, Integer.MAX_VALUE) >= floor.get(from)) {
          wrongWay.add(MAIN.relativize(file) + " imports " + to);
        }
      }
    }
    assertEquals(List.of(), wrongWay, "imports that do not run down the floors " + floor);
  }

  @Test
  void theCeremonyImportsNothingOfKeycloak() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : javaFiles()) {
      if (topPackage(file).equals("ceremony")
          && Files.readString(file).contains("import org.keycloak.")) {
        found.add(MAIN.relativize(file).toString());
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void onlyPasskeyStoreTouchesKeycloaksCredentials() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : javaFiles()) {
      if (!file.endsWith("credential/PasskeyStore.java")
          && Files.readString(file).contains("credentialManager()")) {
        found.add(MAIN.relativize(file).toString());
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void theFloorsNameEveryPackage() throws IOException {
    TreeSet<String> packages = new TreeSet<>();
    for (Path file : javaFiles()) {
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

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }

  /** The first package below dev.kcpasskeys (rest/admin belongs to rest). */
  private static String topPackage(Path file) {
    return MAIN.relativize(file).getName(0).toString();
  }
}
