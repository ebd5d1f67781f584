package dev.kcpasskeys.credential;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class StoredCredentialIdTest {

  private static final byte[] ID = {(byte) 0xfb, (byte) 0xff, 0x00, 0x41, 0x7e, 0x3f, 0x10};
  private static final String STANDARD = Base64.getEncoder().encodeToString(ID);

  /** The shape Keycloak 26.7's WebAuthnCredentialData writes, fields in its order. */
  private static String keycloakData(String credentialIdJson) {
    return "{\"aaguid\":\"00000000-0000-0000-0000-000000000000\",\"credentialId\":"
        + credentialIdJson
        + ",\"counter\":0,\"attestationStatement\":null,\"credentialPublicKey\":\"pQECAyYgASFYIA\","
        + "\"attestationStatementFormat\":\"none\",\"transports\":[\"internal\",\"hybrid\"]}";
  }

  @Test
  void matchesTheIdKeycloakStored() {
    assertTrue(StoredCredentialId.matches(keycloakData("\"" + STANDARD + "\""), ID));
  }

  @Test
  void matchesWhateverTheFieldOrderAndNestedValuesBeforeIt() {
    String data =
        "{\"transports\":[\"usb\"],\"nested\":{\"credentialId\":\"AAAA\",\"x\":[1,{\"y\":2}]},"
            + "\"credentialId\":\""
            + STANDARD
            + "\"}";
    assertTrue(StoredCredentialId.matches(data, ID));
  }

  @Test
  void doesNotMatchAnotherId() {
    byte[] other = ID.clone();
    other[6] ^= 1;
    assertFalse(StoredCredentialId.matches(keycloakData("\"" + STANDARD + "\""), other));
    assertFalse(StoredCredentialId.matches(keycloakData("\"" + STANDARD + "\""), new byte[0]));
  }

  @Test
  void neverThrowsOnDataItCannotRead() {
    assertFalse(StoredCredentialId.matches(null, ID));
    assertFalse(StoredCredentialId.matches("", ID));
    assertFalse(StoredCredentialId.matches("[\"" + STANDARD + "\"]", ID));
    assertFalse(StoredCredentialId.matches("{\"credentialId\":", ID));
    assertFalse(StoredCredentialId.matches(keycloakData("12"), ID));
    assertFalse(StoredCredentialId.matches(keycloakData("null"), ID));
    assertFalse(StoredCredentialId.matches(keycloakData("\"%%%\""), ID));
    assertFalse(StoredCredentialId.matches("{\"counter\":0}", ID));
  }
}
