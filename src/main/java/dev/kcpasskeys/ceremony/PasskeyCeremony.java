package dev.kcpasskeys.ceremony;

import com.webauthn4j.converter.util.ObjectConverter;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The WebAuthn relying-party ceremonies for passkeys: options for the browser, and verification of
 * its responses. Thread-safe; create one and share it.
 */
public final class PasskeyCeremony {

  /** Challenge length in bytes (WebAuthn L3 §13.4.3 asks for at least 16). */
  public static final int CHALLENGE_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final RegistrationCeremony registration;
  private final AuthenticationCeremony authentication;

  /** Verifies every signature with the JCA's default providers. */
  public PasskeyCeremony() {
    this(Optional.empty());
  }

  /**
   * Verifies ECDSA assertion signatures with {@code ecdsaProvider} where it has the algorithm, the
   * rest with the JCA's default providers. Keycloak passes the BouncyCastle it ships: about five
   * times faster for ES256 than JDK 17's own provider.
   */
  public PasskeyCeremony(Provider ecdsaProvider) {
    this(Optional.of(Objects.requireNonNull(ecdsaProvider, "ecdsaProvider")));
  }

  private PasskeyCeremony(Optional<Provider> ecdsaProvider) {
    ObjectConverter converter = new ObjectConverter();
    this.registration =
        new RegistrationCeremony(Webauthn4jSupport.newManager(converter), converter);
    this.authentication = new AuthenticationCeremony(converter, new SignatureCheck(ecdsaProvider));
  }

  /** A fresh random challenge of {@value #CHALLENGE_LENGTH} bytes. */
  public static byte[] newChallenge() {
    byte[] challenge = new byte[CHALLENGE_LENGTH];
    RANDOM.nextBytes(challenge);
    return challenge;
  }

  /**
   * Options to create a discoverable, user-verified passkey for {@code user}, excluding their
   * existing ones.
   */
  public CreationOptions creationOptions(
      RelyingPartySettings rp, UserIdentity user, byte[] challenge, List<StoredPasskey> exclude) {
    return creationOptions(rp, user, challenge, exclude, RegistrationMediation.MODAL);
  }

  /**
   * Options for a create request with this mediation. A conditional request asks for {@code
   * preferred} user verification: with {@code required} the client throws ConstraintError whenever
   * it cannot collect UV without a dialog (WebAuthn L3 §5.1.3), which is nearly always.
   */
  public CreationOptions creationOptions(
      RelyingPartySettings rp,
      UserIdentity user,
      byte[] challenge,
      List<StoredPasskey> exclude,
      RegistrationMediation mediation) {
    Objects.requireNonNull(mediation, "mediation");
    String userVerification =
        mediation == RegistrationMediation.CONDITIONAL
            ? "preferred"
            : rp.userVerificationRequirement();
    return new CreationOptions(
        rp.rpId(),
        rp.rpName(),
        user,
        challenge,
        rp.allowedAlgorithms(),
        rp.timeout().toMillis(),
        exclude.stream().map(CredentialDescriptor::of).toList(),
        userVerification,
        rp.hints(),
        rp.attestation().conveyance());
  }

  /**
   * Options to get an assertion; {@code allow} empty means a discoverable (username-less) ceremony.
   */
  public RequestOptions requestOptions(
      RelyingPartySettings rp, byte[] challenge, List<StoredPasskey> allow) {
    return new RequestOptions(
        challenge,
        rp.timeout().toMillis(),
        rp.rpId(),
        allow.stream().map(CredentialDescriptor::of).toList(),
        rp.userVerificationRequirement(),
        rp.hints());
  }

  /**
   * Verifies a RegistrationResponseJSON. The caller stores {@link VerifiedRegistration#passkey()}.
   *
   * @throws PasskeyVerificationException when the response must be rejected; only failures of
   *     {@code lookup} itself escape as RuntimeExceptions
   */
  public VerifiedRegistration finishRegistration(
      RelyingPartySettings rp,
      byte[] expectedChallenge,
      byte[] expectedUserHandle,
      String registrationResponseJson,
      PasskeyLookup lookup)
      throws PasskeyVerificationException {
    return finishRegistration(
        rp,
        expectedChallenge,
        expectedUserHandle,
        registrationResponseJson,
        lookup,
        RegistrationMediation.MODAL);
  }

  /**
   * Verifies a RegistrationResponseJSON to a create request made with {@code mediation}. Pass
   * {@link RegistrationMediation#CONDITIONAL} only for a challenge that was issued for a
   * conditional request: it is the one mode that accepts UP=0 (and UV=0, recorded as
   * uvInitialized=false).
   */
  public VerifiedRegistration finishRegistration(
      RelyingPartySettings rp,
      byte[] expectedChallenge,
      byte[] expectedUserHandle,
      String registrationResponseJson,
      PasskeyLookup lookup,
      RegistrationMediation mediation)
      throws PasskeyVerificationException {
    requireArguments(rp, expectedChallenge, registrationResponseJson, lookup);
    Objects.requireNonNull(expectedUserHandle, "expectedUserHandle");
    Objects.requireNonNull(mediation, "mediation");
    try {
      return registration.finish(
          rp,
          expectedChallenge,
          expectedUserHandle,
          registrationResponseJson,
          new GuardedLookup(lookup),
          mediation);
    } catch (GuardedLookup.StorageFailure e) {
      throw e.original();
    } catch (RuntimeException e) {
      throw Webauthn4jFailures.map(e);
    }
  }

  /**
   * Verifies an AuthenticationResponseJSON. The caller stores {@link
   * VerifiedAssertion#updatedPasskey()}.
   *
   * @param identifiedUserHandle present when the user was identified before the ceremony (step-up,
   *     2FA)
   * @throws PasskeyVerificationException when the response must be rejected; only failures of
   *     {@code lookup} itself escape as RuntimeExceptions
   */
  public VerifiedAssertion finishAuthentication(
      RelyingPartySettings rp,
      byte[] expectedChallenge,
      Optional<byte[]> identifiedUserHandle,
      String authenticationResponseJson,
      PasskeyLookup lookup)
      throws PasskeyVerificationException {
    requireArguments(rp, expectedChallenge, authenticationResponseJson, lookup);
    Objects.requireNonNull(identifiedUserHandle, "identifiedUserHandle");
    try {
      return authentication.finish(
          rp,
          expectedChallenge,
          identifiedUserHandle,
          authenticationResponseJson,
          new GuardedLookup(lookup));
    } catch (GuardedLookup.StorageFailure e) {
      throw e.original();
    } catch (RuntimeException e) {
      throw Webauthn4jFailures.map(e);
    }
  }

  private static void requireArguments(
      RelyingPartySettings rp, byte[] challenge, String json, PasskeyLookup lookup) {
    Objects.requireNonNull(rp, "rp");
    Objects.requireNonNull(challenge, "expectedChallenge");
    Objects.requireNonNull(json, "responseJson");
    Objects.requireNonNull(lookup, "lookup");
  }
}
