package dev.kcpasskeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The docker/ files stay in step with the build: no Docker engine runs here, so these are text
 * checks on the Dockerfile, the compose files and the demo realm.
 */
class DockerFilesTest {

  static final Path DOCKER = Path.of("docker");
  static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
  static final Path REALM = DOCKER.resolve("realm/passkeys-demo.json");
  static final List<Path> COMPOSE_FILES =
      List.of(DOCKER.resolve("compose.yaml"), DOCKER.resolve("compose-cluster.yaml"));

  @Test
  void dockerfileBuildsOnTheKeycloakVersionThePomCompilesAgainst() throws IOException {
    String pomVersion =
        firstGroup(
            Files.readString(Path.of("pom.xml")),
            "<keycloak\\.version>([^<]+)</keycloak\\.version>");
    List<String> froms =
        Files.readAllLines(DOCKERFILE).stream()
            .map(String::trim)
            .filter(line -> line.startsWith("FROM "))
            .toList();
    assertFalse(froms.isEmpty(), "no FROM line in " + DOCKERFILE);
    assertTrue(
        froms.get(0).matches("FROM quay\\.io/keycloak/keycloak:\\S+ AS builder"), froms.get(0));
    for (String from : froms) {
      assertEquals(pomVersion, firstGroup(from, "quay\\.io/keycloak/keycloak:(\\S+)"), from);
    }
  }

  @Test
  void dockerfileCopiesTheJarThePomBuilds() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    // The project's own coordinates follow <modelVersion> (this pom has no <parent>).
    String artifactId =
        firstGroup(
            pom, "</modelVersion>\\s*<groupId>[^<]*</groupId>\\s*<artifactId>([^<]+)</artifactId>");
    String dockerfile = Files.readString(DOCKERFILE);
    assertEquals("keycloak-passkeys", artifactId);
    assertTrue(
        dockerfile.contains("COPY target/" + artifactId + "-*.jar /opt/keycloak/providers/"),
        dockerfile);
    assertTrue(dockerfile.contains("RUN /opt/keycloak/bin/kc.sh build --db=postgres"), dockerfile);
    assertTrue(
        dockerfile.contains("COPY --from=builder /opt/keycloak/ /opt/keycloak/"), dockerfile);
  }

  @Test
  void composeFilesBuildTheDockerfileAndImportTheRealmDirectory() throws IOException {
    for (Path compose : COMPOSE_FILES) {
      List<String> lines =
          Files.readAllLines(compose).stream()
              .map(String::trim)
              .filter(line -> !line.startsWith("#"))
              .toList();
      assertTrue(
          lines.contains("context: .."), compose + ": build context must be the repository root");
      String dockerfile = valueOf(lines, "dockerfile:");
      // The build context is the repository root, which is also the directory the tests run in.
      assertTrue(
          Files.isRegularFile(Path.of(dockerfile)),
          compose
              + " names "
              + dockerfile
              + ", which does not exist (relative to the build context)");
      List<String> mounts =
          lines.stream().filter(line -> line.contains(":/opt/keycloak/data/import")).toList();
      assertEquals(1, mounts.size(), compose + ": exactly one service imports the realm");
      String source = firstGroup(mounts.get(0), "-\\s*\"?([^:\"]+):/opt/keycloak/data/import");
      Path realmDir = DOCKER.resolve(source).normalize();
      assertTrue(
          Files.isDirectory(realmDir),
          compose + " mounts " + realmDir + ", which is not a directory");
      assertTrue(
          Files.isRegularFile(realmDir.resolve("passkeys-demo.json")),
          realmDir + " has no passkeys-demo.json");
      assertTrue(lines.contains("- --import-realm"), compose + " does not import realms");
      assertTrue(
          lines.contains("- --optimized"),
          compose + " does not start the built image with --optimized");
      assertTrue(lines.contains("image: postgres:17"), compose + " does not run PostgreSQL 17");
    }
  }

  @Test
  void clusterComposeRunsTwoNodesOnDistinctPorts() throws IOException {
    List<String> lines =
        Files.readAllLines(COMPOSE_FILES.get(1)).stream().map(String::trim).toList();
    assertEquals(
        2, lines.stream().filter(line -> line.equals("- --cache-stack=jdbc-ping")).count());
    assertEquals(2, lines.stream().filter(line -> line.equals("- --cache=ispn")).count());
    assertTrue(lines.contains("- \"8080:8080\""));
    assertTrue(lines.contains("- \"8081:8080\""));
  }

  @Test
  void demoRealmSwitchesPasskeysOnAndHasTheDemoClientAndUser() throws IOException {
    JsonNode realm = new ObjectMapper().readTree(REALM.toFile());
    assertEquals("passkeys-demo", realm.path("realm").asText());
    assertEquals("true", realm.path("attributes").path("passkeys.enabled").asText());
    JsonNode client =
        StreamSupport.stream(realm.path("clients").spliterator(), false)
            .filter(c -> "demo-app".equals(c.path("clientId").asText()))
            .findFirst()
            .orElseThrow();
    assertTrue(client.path("publicClient").asBoolean(), "demo-app must be a public client");
    assertEquals("S256", client.path("attributes").path("pkce.code.challenge.method").asText());
    assertTrue(
        StreamSupport.stream(realm.path("users").spliterator(), false)
            .anyMatch(u -> "demo".equals(u.path("username").asText())),
        "no user 'demo'");
  }

  private static String valueOf(List<String> lines, String key) {
    return lines.stream()
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(key.length()).trim())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + key + "' line"));
  }

  private static String firstGroup(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex);
    return m.group(1);
  }
}
