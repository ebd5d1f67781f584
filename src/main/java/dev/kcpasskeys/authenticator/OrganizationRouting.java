package dev.kcpasskeys.authenticator;

import dev.kcpasskeys.credential.PasskeyStore;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.utils.Organizations;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.ClientSessionCode;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keycloak Organizations on the passkey page: a username typed there that Keycloak's Organization
 * identity-first step would send to an organization's identity provider goes there, so the page can
 * stay the first page (with passkey autofill) in a realm with organizations. The rules are
 * Keycloak's ({@code OrganizationAuthenticator}, 26.7): a user who can sign in here (has a password
 * or a passkey) stays; a member linked to exactly one of its organization's brokers goes to that
 * one; otherwise an e-mail whose domain belongs to an enabled organization goes to that
 * organization's broker that is set to "redirect when the e-mail domain matches" for that domain.
 */
final class OrganizationRouting {

  private static final String BROKER_DOMAIN = OrganizationModel.ORGANIZATION_DOMAIN_ATTRIBUTE;
  private static final String EXCLUDED_DOMAINS =
      OrganizationModel.ORGANIZATION_EXCLUDED_DOMAIN_ATTRIBUTE;
  private static final String ANY_DOMAIN = "ANY";

  private OrganizationRouting() {}

  /**
   * The redirect to the organization's identity provider for this typed username, if there is one.
   */
  static Optional<Response> brokerFor(AuthenticationFlowContext context, String typed) {
    KeycloakSession session = context.getSession();
    if (typed == null
        || typed.isBlank()
        || !Organizations.isEnabledAndOrganizationsPresent(session)) {
      return Optional.empty();
    }
    String username = typed.trim();
    UserModel user =
        KeycloakModelUtils.findUserByNameOrEmail(session, context.getRealm(), username);
    if (user != null && PasskeyStore.hasFirstFactorCredential(user)) {
      return Optional.empty();
    }
    String domain =
        username.contains("@")
            ? Organizations.getEmailDomain(username)
            : user == null ? null : Organizations.getEmailDomain(user);
    OrganizationModel organization = Organizations.resolveOrganization(session, user, domain);
    if (organization == null || !organization.isEnabled()) {
      return Optional.empty();
    }
    if (user != null) {
      List<IdentityProviderModel> home = Organizations.resolveHomeBroker(session, user);
      if (home.size() == 1) {
        return Optional.of(
            redirect(context, organization, home.get(0).getAlias(), user.getEmail()));
      }
    }
    OrganizationDomainModel matching =
        domain == null ? null : Organizations.getMatchingDomain(domain, organization);
    if (matching == null) {
      return Optional.empty();
    }
    return organization
        .getIdentityProviders()
        .filter(IdentityProviderModel::isEnabled)
        .filter(OrganizationModel.IdentityProviderRedirectMode.EMAIL_MATCH::isSet)
        .filter(broker -> servesDomain(broker, domain, matching.getName()))
        .findFirst()
        .map(broker -> redirect(context, organization, broker.getAlias(), username));
  }

  private static boolean servesDomain(
      IdentityProviderModel broker, String domain, String organizationDomain) {
    String brokerDomain = broker.getConfig().get(BROKER_DOMAIN);
    if (domain.equalsIgnoreCase(brokerDomain)
        || organizationDomain.equalsIgnoreCase(brokerDomain)) {
      return true;
    }
    String excluded = broker.getConfig().getOrDefault(EXCLUDED_DOMAINS, "");
    return ANY_DOMAIN.equals(brokerDomain)
        && Arrays.stream(excluded.split(",")).map(String::trim).noneMatch(domain::equalsIgnoreCase);
  }

  /**
   * As Keycloak's identity-provider redirector sends the browser to a broker from inside a flow.
   */
  private static Response redirect(
      AuthenticationFlowContext context,
      OrganizationModel organization,
      String brokerAlias,
      String loginHint) {
    AuthenticationSessionModel authSession = context.getAuthenticationSession();
    // What Keycloak's Organization step records before it redirects (the first broker login reads
    // it).
    authSession.setAuthNote(OrganizationModel.ORGANIZATION_ATTRIBUTE, organization.getId());
    context.getSession().getContext().setOrganization(organization);
    String accessCode =
        new ClientSessionCode<>(context.getSession(), context.getRealm(), authSession)
            .getOrGenerateCode();
    URI location =
        Urls.identityProviderAuthnRequest(
            context.getUriInfo().getBaseUri(),
            brokerAlias,
            context.getRealm().getName(),
            accessCode,
            authSession.getClient().getClientId(),
            authSession.getTabId(),
            AuthenticationProcessor.getClientData(context.getSession(), authSession),
            loginHint);
    return Response.seeOther(location).build();
  }
}
