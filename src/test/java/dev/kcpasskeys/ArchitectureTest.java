package dev.kcpasskeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The ceremony core stays portable: JDK, webauthn4j and Jackson only. */
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
}
