package dev.kcpasskeys.rest.page;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.RedirectUtils;

/**
 * The optional "Back to <app>" link. Shown only when {@code redirect_uri} is one of the named
 * client's registered redirect URIs, so the page never links to an address an attacker chose.
 */
record BackLink(String appName, String url) {

  /** What the page's query asked for, before any check; also what travels through sign-in. */
  record Request(Optional<String> clientId, Optional<String> redirectUri) {

    static final Request NONE = new Request(Optional.empty(), Optional.empty());
    private static final int MAX = 2048;

    static Request of(String clientId, String redirectUri) {
      return new Request(clean(clientId), clean(redirectUri));
    }

    /** Carried through the OAuth {@code state}: both values, base64url, separated by a space. */
    String toState() {
      String plain = clientId.orElse("") + " " + redirectUri.orElse("");
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Request fromState(String state) {
      if (state == null || state.length() > 3 * MAX) {
        return NONE;
      }
      try {
        String plain = new String(Base64.getUrlDecoder().decode(state), StandardCharsets.UTF_8);
        int space = plain.indexOf(' ');
        return space < 0 ? NONE : of(plain.substring(0, space), plain.substring(space + 1));
      } catch (IllegalArgumentException garbled) {
        return NONE;
      }
    }

    private static Optional<String> clean(String value) {
      return value == null || value.isBlank() || value.length() > MAX
          ? Optional.empty()
          : Optional.of(value.trim());
    }
  }

  static Optional<BackLink> verify(KeycloakSession session, RealmModel realm, Request request) {
    if (request.clientId().isEmpty() || request.redirectUri().isEmpty()) {
      return Optional.empty();
    }
    ClientModel client = realm.getClientByClientId(request.clientId().get());
    if (client == null || !client.isEnabled()) {
      return Optional.empty();
    }
    String verified = RedirectUtils.verifyRedirectUri(session, request.redirectUri().get(), client);
    if (verified == null) {
      return Optional.empty();
    }
    String name =
        client.getName() == null || client.getName().isBlank()
            ? client.getClientId()
            : client.getName();
    return Optional.of(new BackLink(name, verified));
  }
}
