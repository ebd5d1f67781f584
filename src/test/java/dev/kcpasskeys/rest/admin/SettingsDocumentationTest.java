package dev.kcpasskeys.rest.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kcpasskeys.config.SettingsForm;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Every setting is findable: each field the settings API answers is in docs/settings.md, example
 * and table.
 */
class SettingsDocumentationTest {

  private static final Path DOC = Path.of("docs/settings.md");

  @Test
  void everyFieldOfTheSettingsApiIsInTheExampleAndTheTableOfDocsSettings() throws IOException {
    String doc = Files.readString(DOC);
    List<String> missing = new ArrayList<>();
    for (String field : apiFields()) {
      if (!doc.contains("\"" + field + "\":")) {
        missing.add(field + " (JSON example)");
      }
      if (!doc.contains("| `" + field + "` |")) {
        missing.add(field + " (table)");
      }
    }
    assertEquals(List.of(), missing, "fields of the settings API missing from " + DOC);
  }

  @Test
  void everyFieldOfTheAdminConsoleFormIsAFieldOfTheApi() {
    List<String> notInApi =
        SettingsForm.properties().stream()
            .map(ProviderConfigProperty::getName)
            .filter(name -> !apiFields().contains(name))
            .toList();
    assertEquals(List.of(), notInApi, "the console's form uses the API's names");
  }

  private static List<String> apiFields() {
    return Arrays.stream(SettingsRepresentation.class.getRecordComponents())
        .map(RecordComponent::getAccessor)
        .map(m -> m.getAnnotation(JsonProperty.class).value())
        .toList();
  }
}
