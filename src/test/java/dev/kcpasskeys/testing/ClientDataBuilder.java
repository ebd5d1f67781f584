package dev.kcpasskeys.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds clientDataJSON the way browsers serialise it (type, challenge, origin, crossOrigin, ...).
 */
final class ClientDataBuilder {

  private ClientDataBuilder() {}

  static byte[] build(String type, String challenge, String origin, Tweaks tweaks) {
    Map<String, Object> clientData = new LinkedHashMap<>();
    clientData.put("type", tweaks.clientDataType != null ? tweaks.clientDataType : type);
    clientData.put("challenge", tweaks.challenge != null ? tweaks.challenge : challenge);
    clientData.put("origin", tweaks.origin != null ? tweaks.origin : origin);
    if (tweaks.crossOrigin != null) {
      clientData.put("crossOrigin", tweaks.crossOrigin);
    }
    if (tweaks.topOrigin != null) {
      clientData.put("topOrigin", tweaks.topOrigin);
    }
    clientData.putAll(tweaks.extraClientData);
    try {
      return SoftAuthenticator.JSON.writeValueAsString(clientData).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
