package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.AttestationPolicy;
import dev.kcpasskeys.ceremony.Hints;
import dev.kcpasskeys.metadata.MetadataSource;
import dev.kcpasskeys.metadata.TrustedMetadata;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.keycloak.models.RealmModel;

/**
 * One change to a realm's passkey settings, from the REST API or the admin console tab: every field
 * is checked before anything is written, so a bad value changes nothing.
 *
 * @param enabled absent fields (null) keep their current value
 * @param upgradeEnabled automatic passkey upgrades after password sign-ins ({@code
 *     passkeys.upgrade.enabled})
 * @param twoFactorKeysSignIn Keycloak two-factor security keys may sign in on their own ({@code
 *     passkeys.twoFactorKeys.signIn})
 * @param amrClaim enabling adds the amr claim to every app ({@code passkeys.amr.claim})
 * @param maxPasskeys the most passkeys one user may register ({@link AssurancePolicy})
 * @param hints WebAuthn hints for the browser, in order ({@link AssurancePolicy})
 * @param passkeyTypes which passkeys count: {@code any} or {@code device_bound} ({@link
 *     PasskeyTypePolicy})
 * @param passkeyAfterPassword ask users who have a passkey for it after their password
 * @param metadataSource where the FIDO metadata comes from ({@link AttestationSettings}); blank:
 *     the FIDO Metadata Service
 * @param metadataRootCertificate the PEM root of the metadata's signing chain; blank: FIDO's
 */
public record SettingsUpdate(
    Boolean enabled,
    String rpId,
    String rpName,
    List<String> origins,
    String userVerification,
    String attestation,
    List<String> allowedAaguids,
    Boolean nudgeEnabled,
    Integer nudgeSnoozeDays,
    Integer nudgeForceAfterSnoozes,
    List<String> nudgeClients,
    Boolean notifyEmail,
    Boolean passkeyFirstSignUp,
    Boolean upgradeEnabled,
    Boolean twoFactorKeysSignIn,
    Boolean amrClaim,
    Integer maxPasskeys,
    List<String> hints,
    String passkeyTypes,
    Boolean passkeyAfterPassword,
    String metadataSource,
    String metadataRootCertificate) {

  /** An update that changes nothing yet: name the fields to change ({@link Builder}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Names each field it changes: the update has 22 fields, and a positional list of nulls is where
   * a value lands in the wrong one.
   */
  public static final class Builder {
    private Boolean enabled;
    private String rpId;
    private String rpName;
    private List<String> origins;
    private String userVerification;
    private String attestation;
    private List<String> allowedAaguids;
    private Boolean nudgeEnabled;
    private Integer nudgeSnoozeDays;
    private Integer nudgeForceAfterSnoozes;
    private List<String> nudgeClients;
    private Boolean notifyEmail;
    private Boolean passkeyFirstSignUp;
    private Boolean upgradeEnabled;
    private Boolean twoFactorKeysSignIn;
    private Boolean amrClaim;
    private Integer maxPasskeys;
    private List<String> hints;
    private String passkeyTypes;
    private Boolean passkeyAfterPassword;
    private String metadataSource;
    private String metadataRootCertificate;

    private Builder() {}

    public Builder enabled(Boolean value) {
      this.enabled = value;
      return this;
    }

    public Builder rpId(String value) {
      this.rpId = value;
      return this;
    }

    public Builder rpName(String value) {
      this.rpName = value;
      return this;
    }

    public Builder origins(List<String> value) {
      this.origins = value;
      return this;
    }

    public Builder userVerification(String value) {
      this.userVerification = value;
      return this;
    }

    public Builder attestation(String value) {
      this.attestation = value;
      return this;
    }

    public Builder allowedAaguids(List<String> value) {
      this.allowedAaguids = value;
      return this;
    }

    public Builder nudgeEnabled(Boolean value) {
      this.nudgeEnabled = value;
      return this;
    }

    public Builder nudgeSnoozeDays(Integer value) {
      this.nudgeSnoozeDays = value;
      return this;
    }

    public Builder nudgeForceAfterSnoozes(Integer value) {
      this.nudgeForceAfterSnoozes = value;
      return this;
    }

    public Builder nudgeClients(List<String> value) {
      this.nudgeClients = value;
      return this;
    }

    public Builder notifyEmail(Boolean value) {
      this.notifyEmail = value;
      return this;
    }

    public Builder passkeyFirstSignUp(Boolean value) {
      this.passkeyFirstSignUp = value;
      return this;
    }

    public Builder upgradeEnabled(Boolean value) {
      this.upgradeEnabled = value;
      return this;
    }

    public Builder twoFactorKeysSignIn(Boolean value) {
      this.twoFactorKeysSignIn = value;
      return this;
    }

    public Builder amrClaim(Boolean value) {
      this.amrClaim = value;
      return this;
    }

    public Builder maxPasskeys(Integer value) {
      this.maxPasskeys = value;
      return this;
    }

    public Builder hints(List<String> value) {
      this.hints = value;
      return this;
    }

    public Builder passkeyTypes(String value) {
      this.passkeyTypes = value;
      return this;
    }

    public Builder passkeyAfterPassword(Boolean value) {
      this.passkeyAfterPassword = value;
      return this;
    }

    public Builder metadataSource(String value) {
      this.metadataSource = value;
      return this;
    }

    public Builder metadataRootCertificate(String value) {
      this.metadataRootCertificate = value;
      return this;
    }

    public SettingsUpdate build() {
      return new SettingsUpdate(
          enabled,
          rpId,
          rpName,
          origins,
          userVerification,
          attestation,
          allowedAaguids,
          nudgeEnabled,
          nudgeSnoozeDays,
          nudgeForceAfterSnoozes,
          nudgeClients,
          notifyEmail,
          passkeyFirstSignUp,
          upgradeEnabled,
          twoFactorKeysSignIn,
          amrClaim,
          maxPasskeys,
          hints,
          passkeyTypes,
          passkeyAfterPassword,
          metadataSource,
          metadataRootCertificate);
    }
  }

  /** A refused value: a stable code for APIs and a sentence for people. */
  public static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    Invalid(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * Validates, writes the settings and switches the flow on or off; returns what is now in force.
   */
  public PasskeySettings applyTo(RealmModel realm, String requestHost) {
    PasskeySettings current = PasskeySettings.read(realm);
    PasskeySettings merged = merge(current, realmHost(realm).orElse(requestHost));
    NudgePolicy nudge = mergeNudge(realm);
    SignUpPolicy signUp = mergeSignUp(realm);
    AssurancePolicy assurance = mergeAssurance(realm);
    AttestationSettings attestationSettings = mergeAttestation(realm);
    checkFlow(realm, current);
    merged.write(realm);
    attestationSettings.write(realm);
    nudge.write(realm);
    signUp.write(realm);
    assurance.write(realm);
    if (upgradeEnabled != null) {
      PasskeySettings.writeUpgradeEnabled(realm, upgradeEnabled);
    }
    if (twoFactorKeysSignIn != null) {
      PasskeySettings.writeTwoFactorKeysSignIn(realm, twoFactorKeysSignIn);
    }
    if (amrClaim != null) {
      PasskeySettings.writeAmrClaim(realm, amrClaim);
    }
    boolean enable = enabled == null ? current.enabled() : enabled;
    PasskeySettings saved;
    if (enable) {
      saved = PasskeyFlowInstaller.enable(realm, merged);
    } else {
      saved = current.enabled() ? PasskeyFlowInstaller.disable(realm, merged) : merged;
    }
    ConsoleSettings.mirror(realm);
    return saved;
  }

  /** Validates without writing anything. */
  public void checkAgainst(RealmModel realm, String requestHost) {
    PasskeySettings current = PasskeySettings.read(realm);
    merge(current, realmHost(realm).orElse(requestHost));
    mergeNudge(realm);
    mergeSignUp(realm);
    mergeAssurance(realm);
    mergeAttestation(realm);
    checkFlow(realm, current);
  }

  /**
   * Attestation and its metadata. Where attestation is on and what it rests on changed, the
   * metadata is loaded and verified now: a BLOB that does not verify (a tampered signature, a chain
   * to another root) is refused here, with the reason, and nothing is saved.
   */
  AttestationSettings mergeAttestation(RealmModel realm) {
    AttestationSettings current = AttestationSettings.read(realm);
    String conveyance = attestation == null ? current.conveyance() : attestation.trim();
    if (!AttestationPolicy.CONVEYANCES.contains(conveyance)) {
      throw new Invalid(
          "invalid_attestation", "attestation must be \"none\", \"direct\" or \"enterprise\"");
    }
    Optional<String> source =
        metadataSource == null ? current.metadataSource() : nonBlank(metadataSource);
    source
        .flatMap(MetadataSource::locationProblem)
        .ifPresent(
            problem -> {
              throw new Invalid("invalid_metadata", problem);
            });
    Optional<String> root =
        metadataRootCertificate == null
            ? current.metadataRootCertificate()
            : nonBlank(metadataRootCertificate);
    root.flatMap(MetadataSource::rootProblem)
        .ifPresent(
            problem -> {
              throw new Invalid("invalid_metadata", problem);
            });
    AttestationSettings merged = new AttestationSettings(conveyance, source, root);
    if (!merged.equals(current) && !AttestationPolicy.NONE_CONVEYANCE.equals(conveyance)) {
      try {
        TrustedMetadata.reload(merged.source());
      } catch (TrustedMetadata.Unavailable e) {
        throw new Invalid("invalid_metadata", e.getMessage());
      }
    }
    return merged;
  }

  /** Switching passkeys on needs a browser flow the passkey page can join without losing a step. */
  private void checkFlow(RealmModel realm, PasskeySettings current) {
    if (Boolean.TRUE.equals(enabled) && !current.enabled()) {
      BrowserFlowPlan.of(realm)
          .problem()
          .ifPresent(
              problem -> {
                throw new Invalid(
                    "browser_flow_not_supported", "passkeys were not enabled: " + problem);
              });
    }
  }

  /**
   * Switching passkey-first sign-up on is checked against the realm; switching it off always works.
   */
  SignUpPolicy mergeSignUp(RealmModel realm) {
    SignUpPolicy current = SignUpPolicy.read(realm);
    if (passkeyFirstSignUp == null) {
      return current;
    }
    if (passkeyFirstSignUp) {
      PasskeySignUpFlow.problem(realm)
          .ifPresent(
              problem -> {
                throw new Invalid("invalid_sign_up", problem);
              });
    }
    return current.withPasskeyFirst(passkeyFirstSignUp);
  }

  AssurancePolicy mergeAssurance(RealmModel realm) {
    AssurancePolicy current = AssurancePolicy.read(realm);
    int max = maxPasskeys == null ? current.maxPasskeys() : maxPasskeys;
    if (max < 1 || max > AssurancePolicy.MAX_PASSKEYS_CEILING) {
      throw new Invalid(
          "invalid_max_passkeys",
          "max_passkeys must be between 1 and " + AssurancePolicy.MAX_PASSKEYS_CEILING);
    }
    List<String> preferred = hints == null ? current.hints() : hints;
    Hints.problem(preferred)
        .ifPresent(
            problem -> {
              throw new Invalid("invalid_hints", "hints: " + problem);
            });
    String types = passkeyTypes == null ? current.passkeyTypes() : passkeyTypes;
    if (!types.equals(PasskeyTypePolicy.ANY) && !types.equals(PasskeyTypePolicy.DEVICE_BOUND)) {
      throw new Invalid(
          "invalid_passkey_types", "passkey_types must be \"any\" or \"device_bound\"");
    }
    return new AssurancePolicy(
        max,
        preferred,
        types,
        passkeyAfterPassword == null ? current.passkeyAfterPassword() : passkeyAfterPassword);
  }

  NudgePolicy mergeNudge(RealmModel realm) {
    NudgePolicy current = NudgePolicy.read(realm);
    int snooze = nudgeSnoozeDays == null ? current.snoozeDays() : nudgeSnoozeDays;
    if (snooze < 1 || snooze > 365) {
      throw new Invalid("invalid_nudge", "nudge_snooze_days must be between 1 and 365");
    }
    int force =
        nudgeForceAfterSnoozes == null ? current.forceAfterSnoozes() : nudgeForceAfterSnoozes;
    if (force < 0 || force > 100) {
      throw new Invalid(
          "invalid_nudge", "nudge_force_after_snoozes must be between 0 (never) and 100");
    }
    List<String> clients =
        nudgeClients == null ? current.clients() : List.copyOf(new LinkedHashSet<>(nudgeClients));
    for (String client : clients) {
      if (client == null || realm.getClientByClientId(client) == null) {
        throw new Invalid(
            "invalid_nudge", "nudge_clients: no client '" + client + "' in this realm");
      }
    }
    return new NudgePolicy(
        nudgeEnabled == null ? current.enabled() : nudgeEnabled, snooze, force, clients);
  }

  PasskeySettings merge(PasskeySettings current, String host) {
    Optional<String> id = rpId == null ? current.rpId() : nonBlank(rpId).map(String::toLowerCase);
    id.flatMap(value -> RelyingPartyPolicy.rpIdProblem(value, host))
        .ifPresent(
            problem -> {
              throw new Invalid("invalid_rp_id", problem);
            });
    List<String> allowedOrigins =
        origins == null ? current.origins() : List.copyOf(new LinkedHashSet<>(origins));
    for (String origin : allowedOrigins) {
      RelyingPartyPolicy.originProblem(origin == null ? "" : origin)
          .ifPresent(
              problem -> {
                throw new Invalid("invalid_origin", problem);
              });
    }
    RelatedOrigins.problem(allowedOrigins, id.orElse(host))
        .ifPresent(
            problem -> {
              throw new Invalid("invalid_origin", problem);
            });
    if (userVerification != null && !userVerification.equals("required")) {
      throw new Invalid(
          "invalid_user_verification",
          "passkeys always require user verification: use \"required\"");
    }
    Optional<String> name = rpName == null ? current.rpName() : nonBlank(rpName);
    if (name.map(String::length).orElse(0) > 128) {
      throw new Invalid("invalid_rp_name", "rp_name is limited to 128 characters");
    }
    Set<UUID> aaguids =
        allowedAaguids == null ? current.allowedAaguids() : parseAaguids(allowedAaguids);
    return new PasskeySettings(
        current.enabled(),
        id,
        name,
        allowedOrigins,
        "required",
        attestation == null ? current.attestation() : attestation.trim(),
        aaguids,
        current.previousBrowserFlow(),
        notifyEmail == null ? current.notifyEmail() : notifyEmail);
  }

  /**
   * The host users sign in at: the realm's frontend URL when set (the admin console may live on
   * another host name), else the host of the admin request.
   */
  static Optional<String> realmHost(RealmModel realm) {
    String frontend = realm.getAttribute("frontendUrl");
    if (frontend == null || frontend.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(URI.create(frontend.trim()).getHost());
    } catch (IllegalArgumentException broken) {
      return Optional.empty();
    }
  }

  private static Set<UUID> parseAaguids(List<String> values) {
    Set<UUID> result = new LinkedHashSet<>();
    for (String value : new ArrayList<>(values)) {
      try {
        result.add(UUID.fromString(value == null ? "" : value.trim()));
      } catch (IllegalArgumentException e) {
        throw new Invalid(
            "invalid_aaguid",
            "'"
                + value
                + "' is not an AAGUID (a UUID such as "
                + "fbfc3007-154e-4ecc-8c0b-6e020557d7bd)");
      }
    }
    return result;
  }

  private static Optional<String> nonBlank(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
