package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.CeremonyFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.testing.InMemoryPasskeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The W3C WebAuthn L3 §16 test vectors (src/test/resources/w3c-vectors), judged by our passkey
 * policy.
 */
class W3cVectorsTest {

  static final PasskeyCeremony CEREMONY = CeremonyFixture.CEREMONY;
  static final RelyingPartySettings STRICT =
      RelyingPartySettings.of("example.org", "Example", Set.of("https://example.org"));
  static final RelyingPartySettings UV_OPTIONAL = STRICT.withUserVerificationRequired(false);
  static final byte[] USER = "w3c-user".getBytes(StandardCharsets.UTF_8);

  /** One vector file: registration.* and authentication.* hex values. */
  record Vector(Properties values) {

    static Vector load(String name) throws IOException {
      Properties properties = new Properties();
      try (InputStream in =
          W3cVectorsTest.class.getResourceAsStream("/w3c-vectors/" + name + ".properties")) {
        properties.load(in);
      }
      return new Vector(properties);
    }

    byte[] hex(String key) {
      return HexFormat.of().parseHex(values.getProperty(key));
    }

    String registrationJson() {
      ObjectNode response =
          new ObjectMapper()
              .createObjectNode()
              .put("clientDataJSON", Base64Url.encode(hex("registration.clientDataJSON")))
              .put("attestationObject", Base64Url.encode(hex("registration.attestationObject")));
      response.putArray("transports").add("internal");
      return envelope(response);
    }

    String authenticationJson() {
      return envelope(
          new ObjectMapper()
              .createObjectNode()
              .put("clientDataJSON", Base64Url.encode(hex("authentication.clientDataJSON")))
              .put("authenticatorData", Base64Url.encode(hex("authentication.authenticatorData")))
              .put("signature", Base64Url.encode(hex("authentication.signature"))));
    }

    private String envelope(ObjectNode response) {
      String id = Base64Url.encode(hex("registration.credential_id"));
      ObjectNode credential =
          new ObjectMapper()
              .createObjectNode()
              .put("id", id)
              .put("rawId", id)
              .put("type", "public-key");
      credential.set("response", response);
      credential.putObject("clientExtensionResults");
      return credential.toString();
    }

    VerifiedRegistration register(RelyingPartySettings rp, InMemoryPasskeys store)
        throws PasskeyVerificationException {
      return CEREMONY.finishRegistration(
          rp, hex("registration.challenge"), USER, registrationJson(), store);
    }

    VerifiedAssertion authenticate(RelyingPartySettings rp, InMemoryPasskeys store)
        throws PasskeyVerificationException {
      return CEREMONY.finishAuthentication(
          rp, hex("authentication.challenge"), Optional.of(USER), authenticationJson(), store);
    }

    /**
     * A stored record for the vector's credential whose key is never reached (client data fails
     * first).
     */
    InMemoryPasskeys storeWithPlaceholder() {
      InMemoryPasskeys store = new InMemoryPasskeys();
      store.save(
          new StoredPasskey(
              hex("registration.credential_id"),
              USER,
              new byte[] {(byte) 0xa0},
              0,
              Set.of(),
              Optional.empty(),
              Optional.empty(),
              false,
              false));
      return store;
    }
  }

  @Nested
  class NoneEs256 {

    @Test
    void registrationWithoutUserVerificationIsRejectedByPasskeyPolicy() throws Exception {
      Vector vector = Vector.load("none-es256");
      rejected(Reason.USER_VERIFICATION, () -> vector.register(STRICT, new InMemoryPasskeys()));
    }

    @Test
    void registrationAndAuthenticationVerifyWhenUserVerificationIsOptional() throws Exception {
      Vector vector = Vector.load("none-es256");
      InMemoryPasskeys store = new InMemoryPasskeys();
      VerifiedRegistration registration = vector.register(UV_OPTIONAL, store);
      assertEquals("none", registration.attestationFormat());
      assertEquals(
          Optional.of(UUID.fromString("8446ccb9-ab1d-b374-750b-2367ff6f3a1f")),
          registration.passkey().aaguid());
      assertEquals(Optional.of(true), registration.passkey().backupEligible());
      assertTrue(registration.passkey().backupState());
      assertFalse(registration.passkey().uvInitialized());
      store.save(registration.passkey());
      VerifiedAssertion assertion = vector.authenticate(UV_OPTIONAL, store);
      assertEquals(0, assertion.newSignCount());
      assertTrue(assertion.backupState());
      rejected(Reason.USER_VERIFICATION, () -> vector.authenticate(STRICT, store));
    }
  }

  @Nested
  class PackedSelfEs256 {

    @Test
    void registrationIsAcceptedAndTheAssertionNeedsUserVerification() throws Exception {
      Vector vector = Vector.load("packed-self-es256");
      InMemoryPasskeys store = new InMemoryPasskeys();
      VerifiedRegistration registration = vector.register(STRICT, store);
      assertEquals("packed", registration.attestationFormat());
      assertArrayEquals(
          vector.hex("registration.credential_id"), registration.passkey().credentialId());
      assertTrue(registration.passkey().uvInitialized());
      store.save(registration.passkey());
      rejected(Reason.USER_VERIFICATION, () -> vector.authenticate(STRICT, store));
      VerifiedAssertion assertion = vector.authenticate(UV_OPTIONAL, store);
      assertFalse(assertion.userVerified());
      assertFalse(assertion.backupState());
    }

    @Test
    void aChangedAuthenticationChallengeIsRejected() throws Exception {
      Vector vector = Vector.load("packed-self-es256");
      InMemoryPasskeys store = new InMemoryPasskeys();
      store.save(vector.register(STRICT, store).passkey());
      rejected(
          Reason.CHALLENGE_MISMATCH,
          () ->
              CEREMONY.finishAuthentication(
                  UV_OPTIONAL,
                  vector.hex("registration.challenge"),
                  Optional.of(USER),
                  vector.authenticationJson(),
                  store));
    }
  }

  @Nested
  class CrossOriginAndTopOrigin {

    @Test
    void step10_crossOriginVectorIsRejected() throws Exception {
      Vector vector = Vector.load("none-es256-crossOrigin");
      rejected(Reason.CROSS_ORIGIN, () -> vector.register(UV_OPTIONAL, new InMemoryPasskeys()));
      rejected(
          Reason.CROSS_ORIGIN,
          () -> vector.authenticate(UV_OPTIONAL, vector.storeWithPlaceholder()));
    }

    @Test
    void step10_topOriginVectorIsRejectedAtItsCrossOriginFlagFirst() throws Exception {
      Vector vector = Vector.load("none-es256-topOrigin");
      rejected(Reason.CROSS_ORIGIN, () -> vector.register(UV_OPTIONAL, new InMemoryPasskeys()));
      rejected(
          Reason.CROSS_ORIGIN,
          () -> vector.authenticate(UV_OPTIONAL, vector.storeWithPlaceholder()));
    }

    @Test
    void step11_topOriginVectorIsRejectedForItsTopOriginAlone() throws Exception {
      Vector vector = Vector.load("none-es256-topOrigin");
      String withoutCrossOrigin =
          JsonSurgery.editClientData(
              vector.registrationJson(), c -> c.replace("\"crossOrigin\":true,", ""));
      rejected(
          Reason.TOP_ORIGIN,
          () ->
              CEREMONY.finishRegistration(
                  UV_OPTIONAL,
                  vector.hex("registration.challenge"),
                  USER,
                  withoutCrossOrigin,
                  new InMemoryPasskeys()));
    }
  }

  @Nested
  class LongCredentialId {

    @Test
    void step25_a1023ByteCredentialIdRegistersAndAuthenticates() throws Exception {
      Vector vector = Vector.load("none-es256-long-credential-id");
      rejected(Reason.USER_VERIFICATION, () -> vector.register(STRICT, new InMemoryPasskeys()));
      InMemoryPasskeys store = new InMemoryPasskeys();
      StoredPasskey passkey = vector.register(UV_OPTIONAL, store).passkey();
      assertEquals(1023, passkey.credentialId().length);
      store.save(passkey);
      assertTrue(vector.authenticate(STRICT, store).userVerified());
    }
  }
}
