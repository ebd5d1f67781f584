package dev.kcpasskeys.signin;

import dev.kcpasskeys.PasskeyIds;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;

/**
 * What keeps a first-party sign-in from doing less than the browser would: the origins an app may
 * run the passkey ceremony from, and the steps of the realm's flow that a passkey alone does not
 * satisfy (then the app is sent to the browser).
 */
final class FirstPartyLimits {

  /** Client attribute: more origins of this app (an Android app's android:apk-key-hash:...). */
  static final String APP_ORIGINS = "passkeys.firstParty.origins";

  /** Steps a passkey sign-in passes through in the browser flow without doing anything more. */
  private static final Set<String> PASSED =
      Set.of(
          PasskeyIds.AUTHENTICATOR_ID,
          "auth-cookie",
          "auth-spnego",
          "identity-provider-redirector");

  /**
   * The settings of an app that must send its authorization request as a request object (a Set.of,
   * which refuses to be asked about null: most apps have no setting).
   */
  private static final Set<String> REQUEST_OBJECTS_REQUIRED =
      Set.of(
          OIDCConfigAttributes.REQUEST_OBJECT_REQUIRED_REQUEST_OR_REQUEST_URI,
          OIDCConfigAttributes.REQUEST_OBJECT_REQUIRED_REQUEST,
          OIDCConfigAttributes.REQUEST_OBJECT_REQUIRED_REQUEST_URI);

  private FirstPartyLimits() {}

  /**
   * The realm's passkey origins this app may use: Keycloak's own, the app's web origins and the
   * origins its {@value #APP_ORIGINS} attribute names. A passkey response from another origin of
   * the realm (another app's, a related site's) signs nobody into this app.
   */
  static Set<String> origins(
      KeycloakSession session, ClientModel client, Set<String> realmOrigins, String ownOrigin) {
    Set<String> app =
        new java.util.HashSet<>(WebOriginsUtils.resolveValidWebOrigins(session, client));
    String extra = client.getAttribute(APP_ORIGINS);
    if (extra != null) {
      for (String origin : extra.split("[\\s,]+")) {
        if (!origin.isBlank()) {
          app.add(origin.trim());
        }
      }
    }
    app.add(ownOrigin);
    return realmOrigins.stream().filter(app::contains).collect(Collectors.toUnmodifiableSet());
  }

  /** Why this app's sign-in needs the browser, or empty when a passkey is all it takes. */
  static Optional<String> browserNeeded(RealmModel realm, ClientModel client) {
    if (client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.BROWSER_BINDING)
        != null) {
      return Optional.of("the app has a sign-in flow of its own");
    }
    if (realm.getParPolicy().isRequirePushedAuthorizationRequests(client)) {
      return Optional.of("the app requires pushed authorization requests");
    }
    String requestObjects =
        OIDCAdvancedConfigWrapper.fromClientModel(client).getRequestObjectRequired();
    if (requestObjects != null && REQUEST_OBJECTS_REQUIRED.contains(requestObjects)) {
      return Optional.of("the app requires request objects");
    }
    AuthenticationFlowModel flow = realm.getBrowserFlow();
    return flow == null ? Optional.empty() : extraStep(realm, flow.getId());
  }

  /**
   * The first step of a flow a passkey sign-in would have to pass and does not: a required or
   * conditional step that is not one of {@link #PASSED}, on the branch with the passkey page.
   * Conditional sub-flows behind "signed in with a password" apply to password sign-ins only.
   */
  private static Optional<String> extraStep(RealmModel realm, String flowId) {
    for (AuthenticationExecutionModel step :
        realm.getAuthenticationExecutionsStream(flowId).toList()) {
      Requirement requirement = step.getRequirement();
      if (requirement == Requirement.DISABLED) {
        continue;
      }
      if (step.isAuthenticatorFlow()) {
        boolean passkeyBranch = contains(realm, step.getFlowId(), PasskeyIds.AUTHENTICATOR_ID);
        boolean afterPasswordOnly =
            contains(realm, step.getFlowId(), PasskeyIds.PASSWORD_SIGN_IN_CONDITION_ID);
        if (afterPasswordOnly || (requirement == Requirement.ALTERNATIVE && !passkeyBranch)) {
          continue;
        }
        Optional<String> inside = extraStep(realm, step.getFlowId());
        if (inside.isPresent()) {
          return inside;
        }
      } else if ((requirement == Requirement.REQUIRED || requirement == Requirement.CONDITIONAL)
          && !PASSED.contains(step.getAuthenticator())) {
        return Optional.of(
            "the realm's sign-in flow asks for more (" + step.getAuthenticator() + ")");
      }
    }
    return Optional.empty();
  }

  private static boolean contains(RealmModel realm, String flowId, String authenticator) {
    return realm
        .getAuthenticationExecutionsStream(flowId)
        .anyMatch(
            step ->
                authenticator.equals(step.getAuthenticator())
                    || (step.isAuthenticatorFlow()
                        && contains(realm, step.getFlowId(), authenticator)));
  }
}
