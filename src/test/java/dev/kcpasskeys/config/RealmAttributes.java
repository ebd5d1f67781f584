package dev.kcpasskeys.config;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.keycloak.models.RealmModel;

/**
 * A RealmModel that only stores attributes: enough for the settings code, no server needed. Two
 * realm properties are read from pseudo-attributes: {@code registrationAllowed} and {@code
 * smtp.host}.
 */
final class RealmAttributes {

  private RealmAttributes() {}

  static RealmModel realm(Map<String, String> initial) {
    Map<String, String> attributes = new HashMap<>(initial);
    return (RealmModel)
        Proxy.newProxyInstance(
            RealmModel.class.getClassLoader(),
            new Class<?>[] {RealmModel.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getAttribute" -> attributes.get((String) args[0]);
                  case "setAttribute" -> attributes.put((String) args[0], String.valueOf(args[1]));
                  case "removeAttribute" -> attributes.remove((String) args[0]);
                  case "getAttributes" -> Map.copyOf(attributes);
                  case "isRegistrationAllowed" ->
                      Boolean.parseBoolean(attributes.get("registrationAllowed"));
                  case "getSmtpConfig" ->
                      attributes.containsKey("smtp.host")
                          ? Map.of("host", attributes.get("smtp.host"))
                          : Map.of();
                  case "getName" -> "test";
                  case "getRequiredActionProviderByAlias" -> null; // no required action registered
                  case "getId" -> "test-realm-id";
                  case "getComponentsStream" -> java.util.stream.Stream.empty(); // no console tab
                  case "toString" -> "RealmAttributes" + attributes;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
