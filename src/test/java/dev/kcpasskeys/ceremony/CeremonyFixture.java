package dev.kcpasskeys.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.testing.InMemoryPasskeys;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;

/**
 * One realm (RP example.org at https://login.example.org), its storage, a user and their soft
 * authenticator.
 */
class CeremonyFixture {

  static final String ORIGIN = "https://login.example.org";
  static final PasskeyCeremony CEREMONY = new PasskeyCeremony();

  final PasskeyCeremony ceremony;

  RelyingPartySettings rp = RelyingPartySettings.of("example.org", "Example", Set.of(ORIGIN));
  final InMemoryPasskeys store = new InMemoryPasskeys();
  final SoftAuthenticator authenticator = new SoftAuthenticator(ORIGIN);
  final UserIdentity alice = user("alice");
  byte[] challenge = PasskeyCeremony.newChallenge();

  CeremonyFixture() {
    this(CEREMONY);
  }

  CeremonyFixture(PasskeyCeremony ceremony) {
    this.ceremony = ceremony;
  }

  static UserIdentity user(String name) {
    return new UserIdentity(
        ("handle-" + name).getBytes(StandardCharsets.UTF_8), name, name.toUpperCase());
  }

  String creationOptionsJson(UserIdentity user) {
    List<StoredPasskey> existing = store.findByUserHandle(user.userHandle());
    return ceremony.creationOptions(rp, user, challenge, existing).toJson();
  }

  String conditionalCreationOptionsJson(UserIdentity user) {
    List<StoredPasskey> existing = store.findByUserHandle(user.userHandle());
    return ceremony
        .creationOptions(rp, user, challenge, existing, RegistrationMediation.CONDITIONAL)
        .toJson();
  }

  VerifiedRegistration finishRegistration(String json, RegistrationMediation mediation)
      throws PasskeyVerificationException {
    return ceremony.finishRegistration(rp, challenge, alice.userHandle(), json, store, mediation);
  }

  String registrationResponse(Tweaks tweaks) {
    return authenticator.register(creationOptionsJson(alice), tweaks);
  }

  VerifiedRegistration finishRegistration(String json) throws PasskeyVerificationException {
    return ceremony.finishRegistration(rp, challenge, alice.userHandle(), json, store);
  }

  /**
   * Registers a passkey for {@code user} honestly and stores it; a new challenge is drawn
   * afterwards.
   */
  StoredPasskey registered(UserIdentity user, Tweaks tweaks) throws PasskeyVerificationException {
    return registered(user, tweaks, authenticator);
  }

  StoredPasskey registered(UserIdentity user, Tweaks tweaks, SoftAuthenticator device)
      throws PasskeyVerificationException {
    String json = device.register(creationOptionsJson(user), tweaks);
    StoredPasskey passkey =
        ceremony.finishRegistration(rp, challenge, user.userHandle(), json, store).passkey();
    store.save(passkey);
    challenge = PasskeyCeremony.newChallenge();
    return passkey;
  }

  String requestOptionsJson(List<StoredPasskey> allow) {
    return ceremony.requestOptions(rp, challenge, allow).toJson();
  }

  String assertionResponse(Tweaks tweaks) {
    return authenticator.authenticate(requestOptionsJson(List.of()), tweaks);
  }

  VerifiedAssertion finishDiscoverable(String json) throws PasskeyVerificationException {
    return ceremony.finishAuthentication(rp, challenge, Optional.empty(), json, store);
  }

  VerifiedAssertion finishIdentified(UserIdentity user, String json)
      throws PasskeyVerificationException {
    return ceremony.finishAuthentication(
        rp, challenge, Optional.of(user.userHandle()), json, store);
  }

  /** Asserts that {@code call} is rejected with {@code reason} (and nothing else escapes). */
  static PasskeyVerificationException rejected(Reason reason, Executable call) {
    PasskeyVerificationException e = assertThrows(PasskeyVerificationException.class, call);
    assertEquals(reason, e.reason(), e::getMessage);
    return e;
  }
}
