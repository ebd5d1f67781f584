package dev.kcpasskeys.mapper;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

/**
 * RFC 8176 values for Keycloak's own steps that the admin gave no reference value. Keycloak's AMR
 * mapper names only steps configured with one, so in a realm with history a password and an OTP
 * code come out as nothing at all; an app asking "was this multi-factor?" deserves {@code pwd otp
 * mfa}. A configured reference value always wins, for that step.
 */
final class KeycloakAmrDefaults {

  private static final String REFERENCE = "default.reference.value";
  private static final Map<String, String> KNOWN =
      Map.of(
          "auth-username-password-form", "pwd",
          "auth-password-form", "pwd",
          "auth-otp-form", "otp",
          "auth-conditional-otp-form", "otp");

  /**
   * Second factors that prove something besides the password (their own RFC 8176 value is
   * uncertain).
   */
  private static final Set<String> SECOND_FACTORS =
      Set.of(
          "auth-otp-form",
          "auth-conditional-otp-form",
          "webauthn-authenticator",
          "auth-recovery-authn-code-form");

  private KeycloakAmrDefaults() {}

  /**
   * The values of the completed executions that have no reference value of their own, plus {@code
   * mfa}.
   */
  static List<String> of(
      Map<String, Integer> completedExecutions, RealmModel realm, Set<String> soFar) {
    Set<String> values = new LinkedHashSet<>();
    boolean secondFactor = false;
    for (String executionId : completedExecutions.keySet()) {
      AuthenticationExecutionModel execution = realm.getAuthenticationExecutionById(executionId);
      if (execution == null || execution.getAuthenticator() == null) {
        continue;
      }
      secondFactor |= SECOND_FACTORS.contains(execution.getAuthenticator());
      String known = KNOWN.get(execution.getAuthenticator());
      if (known != null && !configured(realm, execution)) {
        values.add(known);
      }
    }
    if (secondFactor && (soFar.contains("pwd") || values.contains("pwd"))) {
      values.add("mfa");
    }
    return List.copyOf(values);
  }

  private static boolean configured(RealmModel realm, AuthenticationExecutionModel execution) {
    if (execution.getAuthenticatorConfig() == null) {
      return false;
    }
    AuthenticatorConfigModel config =
        realm.getAuthenticatorConfigById(execution.getAuthenticatorConfig());
    return config != null
        && config.getConfig() != null
        && config.getConfig().get(REFERENCE) != null;
  }
}
