package dev.kcpasskeys.authenticator;

import java.util.Set;

/** How a passkey sign-in started, as the page reports it: for events and adoption metrics. */
final class SignInPath {

  private static final Set<String> KNOWN = Set.of("autofill", "button", "username-first");

  private SignInPath() {}

  static String of(String reported, boolean stepUp) {
    if (stepUp) {
      return "step-up";
    }
    return reported != null && KNOWN.contains(reported) ? reported : "button";
  }
}
