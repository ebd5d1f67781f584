package dev.kcpasskeys.rest.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kcpasskeys.config.PasskeySettings;
import java.util.List;
import java.util.UUID;

/** JSON of {@code /admin/realms/{realm}/passkeys/v1/settings}; absent fields keep their value on PUT. */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SettingsRepresentation(
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("rp_id") String rpId,
    @JsonProperty("rp_name") String rpName,
    @JsonProperty("origins") List<String> origins,
    @JsonProperty("user_verification") String userVerification,
    @JsonProperty("attestation") String attestation,
    @JsonProperty("allowed_aaguids") List<String> allowedAaguids,
    @JsonProperty("browser_flow") String browserFlow) {

  static SettingsRepresentation of(PasskeySettings s, String browserFlow) {
    return new SettingsRepresentation(s.enabled(), s.rpId().orElse(null), s.rpName().orElse(null), s.origins(),
        s.userVerification(), s.attestation(), s.allowedAaguids().stream().map(UUID::toString).sorted().toList(),
        browserFlow);
  }
}
