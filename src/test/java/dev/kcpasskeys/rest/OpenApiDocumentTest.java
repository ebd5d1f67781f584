package dev.kcpasskeys.rest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.rest.admin.PasskeysAdminResource;
import dev.kcpasskeys.rest.admin.SettingsRepresentation;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every JAX-RS endpoint we serve is described in the OpenAPI document, so the two cannot drift
 * apart.
 */
class OpenApiDocumentTest {

  @Test
  void everyEndpointIsDocumented() throws IOException {
    String yaml;
    try (InputStream in = getClass().getResourceAsStream("/openapi/passkeys-openapi.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> missing = new ArrayList<>();
    List<String> all =
        new ArrayList<>(paths(MePasskeysResource.class, "/realms/{realm}/passkeys/v1/me/passkeys"));
    all.addAll(paths(PasskeysAdminResource.class, "/admin/realms/{realm}/passkeys/"));
    all.forEach(path -> check(yaml, path, missing));
    assertTrue(all.size() >= 12, "endpoints found by reflection: " + all);
    assertTrue(missing.isEmpty(), "not in the OpenAPI document: " + missing);
  }

  @Test
  void everySettingsFieldIsDocumented() throws IOException {
    String yaml;
    try (InputStream in = getClass().getResourceAsStream("/openapi/passkeys-openapi.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String schema = yaml.substring(yaml.indexOf("    Settings:"));
    List<String> missing = new ArrayList<>();
    for (var component : SettingsRepresentation.class.getRecordComponents()) {
      String field =
          component
              .getAccessor()
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class)
              .value();
      if (!schema.contains("        " + field + ":")) {
        missing.add(field);
      }
    }
    assertTrue(missing.isEmpty(), "settings fields not in the OpenAPI Settings schema: " + missing);
  }

  private static void check(String yaml, String path, List<String> missing) {
    String normalized = path.replace("//", "/").replaceAll("/$", "");
    if (normalized.contains("{any")) {
      return; // CORS preflight
    }
    if (!yaml.contains("  " + normalized + ":")) {
      missing.add(normalized);
    }
  }

  private static List<String> paths(Class<?> resource, String base) {
    List<String> result = new ArrayList<>();
    for (Method method : resource.getMethods()) {
      Path path = method.getAnnotation(Path.class);
      boolean endpoint =
          path != null
              || method.isAnnotationPresent(jakarta.ws.rs.GET.class)
              || method.isAnnotationPresent(jakarta.ws.rs.POST.class);
      if (endpoint) {
        result.add(base + (path == null ? "" : "/" + path.value()));
      }
    }
    return result;
  }
}
