package dev.kcpasskeys.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignInPathTest {

  @Test
  void thePageSaysAutofillOrButton() {
    assertEquals("autofill", SignInPath.of("autofill", null));
    assertEquals("button", SignInPath.of("button", null));
  }

  @Test
  void anythingElseThePageSaysCountsAsTheButton() {
    assertEquals("button", SignInPath.of(null, null));
    assertEquals("button", SignInPath.of("step-up", null), "the page cannot claim a step-up");
    assertEquals("button", SignInPath.of("username-first", null), "nor a username step");
    assertEquals("button", SignInPath.of("<script>", null));
  }

  @Test
  void anEarlierStepThatIdentifiedTheUserDecidesWhateverThePageSays() {
    assertEquals("step-up", SignInPath.of("autofill", SignInPath.identifiedBy(true)));
    assertEquals("username-first", SignInPath.of("button", SignInPath.identifiedBy(false)));
  }

  @Test
  void onlyOurTwoIdentificationsCount() {
    assertTrue(SignInPath.isIdentification("step-up"));
    assertTrue(SignInPath.isIdentification("username-first"));
    assertFalse(SignInPath.isIdentification(""));
    assertFalse(SignInPath.isIdentification("true"), "an older note's value");
    assertFalse(SignInPath.isIdentification(null));
    assertEquals("button", SignInPath.of("button", "true"));
  }
}
