package dev.kcpasskeys.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Provider names and icons by AAGUID, from the metadata Keycloak itself bundles ({@code
 * keycloak-webauthn-metadata.json}; icons under the login theme's {@code img/passkeys/}). Immutable
 * after loading, so one instance is shared.
 */
public final class AaguidCatalog {

  /** A provider as shown next to a passkey. */
  public record Provider(String name, Optional<String> iconLight, Optional<String> iconDark) {}

  private static final Logger LOG = Logger.getLogger(AaguidCatalog.class);
  private static final String RESOURCE = "keycloak-webauthn-metadata.json";
  private static final AaguidCatalog INSTANCE = load();

  private final Map<UUID, Provider> providers;

  AaguidCatalog(Map<UUID, Provider> providers) {
    this.providers = Map.copyOf(providers);
  }

  public static AaguidCatalog get() {
    return INSTANCE;
  }

  public Optional<Provider> find(UUID aaguid) {
    return Optional.ofNullable(providers.get(aaguid));
  }

  public int size() {
    return providers.size();
  }

  static AaguidCatalog load() {
    Map<UUID, Provider> map = new HashMap<>();
    ClassLoader loader = AaguidCatalog.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        LOG.debugf("%s not on the classpath; passkeys show no provider names", RESOURCE);
        return new AaguidCatalog(map);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      root.fields()
          .forEachRemaining(
              e -> {
                try {
                  JsonNode v = e.getValue();
                  map.put(
                      UUID.fromString(e.getKey()),
                      new Provider(
                          v.path("name").asText(e.getKey()),
                          text(v, "icon_light"),
                          text(v, "icon_dark")));
                } catch (IllegalArgumentException skipped) {
                  // not a UUID key
                }
              });
    } catch (Exception e) {
      LOG.warnf("Could not read %s: %s", RESOURCE, e.toString());
    }
    return new AaguidCatalog(map);
  }

  private static Optional<String> text(JsonNode node, String field) {
    String value = node.path(field).asText("");
    return value.matches("[A-Za-z0-9._-]{1,100}") ? Optional.of(value) : Optional.empty();
  }
}
