package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract check the ITs run on every answer can fail: what the document does not say is
 * refused.
 */
class OpenApiContractTest {

  private static final URI LIST =
      URI.create("http://localhost:8080/realms/r/passkeys/v1/me/passkeys");
  private static final Optional<String> JSON = Optional.of("application/json");

  @Test
  void aDocumentedAnswerPasses() {
    OpenApiContract.check("GET", LIST, 200, "{\"passkeys\":[]}", JSON);
  }

  @Test
  void aStatusTheDocumentDoesNotListFails() {
    assertThrows(AssertionError.class, () -> OpenApiContract.check("GET", LIST, 418, "{}", JSON));
  }

  @Test
  void aFieldOfTheWrongTypeFails() {
    assertThrows(
        AssertionError.class,
        () -> OpenApiContract.check("GET", LIST, 200, "{\"passkeys\":[{\"id\":5}]}", JSON));
  }

  @Test
  void anErrorWithoutItsCodeFails() {
    assertThrows(
        AssertionError.class,
        () -> OpenApiContract.check("GET", LIST, 401, "{\"error_description\":\"x\"}", JSON));
  }
}
