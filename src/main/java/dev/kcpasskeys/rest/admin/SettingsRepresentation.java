package dev.kcpasskeys.rest.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcpasskeys.config.AssurancePolicy;
import dev.kcpasskeys.config.AttestationSettings;
import dev.kcpasskeys.config.NudgePolicy;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.config.SettingsUpdate;
import dev.kcpasskeys.config.SignUpPolicy;
import dev.kcpasskeys.rest.ApiError;
import java.util.List;
import java.util.UUID;

/**
 * JSON of {@code /admin/realms/{realm}/passkeys/v1/settings}; absent fields keep their value on
 * PUT.
 */
public record SettingsRepresentation(
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("rp_id") String rpId,
    @JsonProperty("rp_name") String rpName,
    @JsonProperty("origins") List<String> origins,
    @JsonProperty("user_verification") String userVerification,
    @JsonProperty("attestation") String attestation,
    @JsonProperty("allowed_aaguids") List<String> allowedAaguids,
    @JsonProperty("browser_flow") String browserFlow,
    @JsonProperty("nudge_enabled") Boolean nudgeEnabled,
    @JsonProperty("nudge_snooze_days") Integer nudgeSnoozeDays,
    @JsonProperty("nudge_force_after_snoozes") Integer nudgeForceAfterSnoozes,
    @JsonProperty("nudge_clients") List<String> nudgeClients,
    @JsonProperty("notify_email") Boolean notifyEmail,
    @JsonProperty("passkey_first_sign_up") Boolean passkeyFirstSignUp,
    @JsonProperty("registration_flow") String registrationFlow,
    @JsonProperty("upgrade_enabled") Boolean upgradeEnabled,
    @JsonProperty("two_factor_keys_sign_in") Boolean twoFactorKeysSignIn,
    @JsonProperty("amr_claim") Boolean amrClaim,
    @JsonProperty("max_passkeys") Integer maxPasskeys,
    @JsonProperty("hints") List<String> hints,
    @JsonProperty("passkey_types") String passkeyTypes,
    @JsonProperty("passkey_after_password") Boolean passkeyAfterPassword,
    @JsonProperty("metadata_source") String metadataSource,
    @JsonProperty("metadata_root_certificate") String metadataRootCertificate,
    @JsonProperty("warnings") List<String> warnings) {

  /** Our own strict reader: a misspelt field is an error, not silently ignored. */
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  static SettingsRepresentation parse(String json) {
    if (json == null || json.isBlank() || json.length() > 64 * 1024) {
      throw new ApiError(400, "invalid_request", "a JSON object (at most 64 KiB) is required");
    }
    try {
      SettingsRepresentation body = STRICT.readValue(json, SettingsRepresentation.class);
      if (body == null) {
        throw new ApiError(400, "invalid_request", "a JSON object is required");
      }
      return body;
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      throw new ApiError(400, "invalid_request", "unknown field '" + e.getPropertyName() + "'");
    } catch (java.io.IOException e) {
      throw new ApiError(400, "invalid_request", "the body is not a settings JSON object");
    }
  }

  SettingsUpdate toUpdate() {
    return SettingsUpdate.builder()
        .enabled(enabled)
        .rpId(rpId)
        .rpName(rpName)
        .origins(origins)
        .userVerification(userVerification)
        .attestation(attestation)
        .allowedAaguids(allowedAaguids)
        .nudgeEnabled(nudgeEnabled)
        .nudgeSnoozeDays(nudgeSnoozeDays)
        .nudgeForceAfterSnoozes(nudgeForceAfterSnoozes)
        .nudgeClients(nudgeClients)
        .notifyEmail(notifyEmail)
        .passkeyFirstSignUp(passkeyFirstSignUp)
        .upgradeEnabled(upgradeEnabled)
        .twoFactorKeysSignIn(twoFactorKeysSignIn)
        .amrClaim(amrClaim)
        .maxPasskeys(maxPasskeys)
        .hints(hints)
        .passkeyTypes(passkeyTypes)
        .passkeyAfterPassword(passkeyAfterPassword)
        .metadataSource(metadataSource)
        .metadataRootCertificate(metadataRootCertificate)
        .build();
  }

  static SettingsRepresentation of(
      PasskeySettings s,
      NudgePolicy nudge,
      SignUpPolicy signUp,
      AssurancePolicy assurance,
      AttestationSettings attestation,
      boolean upgradeEnabled,
      boolean twoFactorKeysSignIn,
      boolean amrClaim,
      String browserFlow,
      String registrationFlow,
      List<String> warnings) {
    return new SettingsRepresentation(
        s.enabled(),
        s.rpId().orElse(null),
        s.rpName().orElse(null),
        s.origins(),
        s.userVerification(),
        s.attestation(),
        s.allowedAaguids().stream().map(UUID::toString).sorted().toList(),
        browserFlow,
        nudge.enabled(),
        nudge.snoozeDays(),
        nudge.forceAfterSnoozes(),
        nudge.clients(),
        s.notifyEmail(),
        signUp.passkeyFirst(),
        registrationFlow,
        upgradeEnabled,
        twoFactorKeysSignIn,
        amrClaim,
        assurance.maxPasskeys(),
        assurance.hints(),
        assurance.passkeyTypes(),
        assurance.passkeyAfterPassword(),
        attestation.metadataSource().orElse(""),
        attestation.metadataRootCertificate().orElse(""),
        warnings);
  }
}
