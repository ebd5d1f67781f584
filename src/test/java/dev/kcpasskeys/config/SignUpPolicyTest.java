package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;

class SignUpPolicyTest {

  @Test
  void offByDefaultAndGarbledMeansOff() {
    assertEquals(
        new SignUpPolicy(false, Optional.empty()),
        SignUpPolicy.read(RealmAttributes.realm(Map.of())));
    assertFalse(
        SignUpPolicy.read(RealmAttributes.realm(Map.of("passkeys.signup.passkeyFirst", "yes")))
            .passkeyFirst());
  }

  @Test
  void writeThenReadRoundTrips() {
    RealmModel realm = RealmAttributes.realm(Map.of());
    SignUpPolicy policy = new SignUpPolicy(true, Optional.of("my registration"));
    policy.write(realm);
    assertEquals(policy, SignUpPolicy.read(realm));
    new SignUpPolicy(false, Optional.empty()).write(realm);
    assertEquals(null, realm.getAttribute("passkeys.signup.previousRegistrationFlow"));
  }

  @Test
  void switchingOnWithoutUserRegistrationIsRefusedAndChangesNothing() {
    RealmModel realm = RealmAttributes.realm(Map.of("smtp.host", "mail.example.com"));
    SettingsUpdate.Invalid refused =
        assertThrows(
            SettingsUpdate.Invalid.class,
            () -> signUp(true).checkAgainst(realm, "login.example.com"));
    assertEquals("invalid_sign_up", refused.code());
    assertTrue(refused.getMessage().contains("User registration"), refused.getMessage());
    assertFalse(SignUpPolicy.read(realm).passkeyFirst());
  }

  @Test
  void switchingOnWithoutEmailSettingsIsRefused() {
    RealmModel realm = RealmAttributes.realm(Map.of("registrationAllowed", "true"));
    SettingsUpdate.Invalid refused =
        assertThrows(
            SettingsUpdate.Invalid.class,
            () -> signUp(true).checkAgainst(realm, "login.example.com"));
    assertEquals("invalid_sign_up", refused.code());
    assertTrue(refused.getMessage().contains("SMTP"), refused.getMessage());
  }

  @Test
  void switchingOffOrLeavingItOutIsAlwaysAccepted() {
    RealmModel realm = RealmAttributes.realm(Map.of("passkeys.signup.passkeyFirst", "true"));
    assertFalse(signUp(false).mergeSignUp(realm).passkeyFirst());
    assertTrue(signUp(null).mergeSignUp(realm).passkeyFirst(), "absent: kept");
  }

  private static SettingsUpdate signUp(Boolean passkeyFirst) {
    return SettingsUpdate.builder().passkeyFirstSignUp(passkeyFirst).build();
  }
}
