package dev.kcpasskeys.config;

import dev.kcpasskeys.PasskeyIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

/**
 * The browser flow enabling installs, decided before anything is written, so an admin can see it
 * first (a dry run) and so a flow that cannot be converted safely is refused with the reason
 * instead of losing steps.
 *
 * <p>The flow is the realm's current browser flow with the passkey page where Keycloak's "Username
 * Password Form" was. Everything else stays: the cookie, identity-provider redirects, custom steps,
 * second factors. Two changes go with the swap, and the plan names both:
 *
 * <ul>
 *   <li>A conditional second-factor sub-flow after the form asks only after a password sign-in
 *       ({@code passkey-condition-password-sign-in} added first): a passkey with user verification
 *       is already two factors.
 *   <li>The Organization identity-first step is switched off: it would show a username page before
 *       the passkey page (no autofill). The passkey page sends an organization's e-mail to that
 *       organization's identity provider itself.
 * </ul>
 *
 * <p>A realm that already has a "passkeys browser" flow (an earlier enable) keeps it, edits
 * included.
 */
public record BrowserFlowPlan(String source, Optional<String> problem, FlowNode flow) {

  static final String USERNAME_PASSWORD_FORM = "auth-username-password-form";
  static final String ORGANIZATION = "organization";
  private static final List<String> SECOND_FACTORS =
      List.of(
          "auth-otp-form",
          "webauthn-authenticator",
          "auth-recovery-authn-code-form",
          "auth-conditional-otp-form");

  public boolean ready() {
    return problem.isEmpty();
  }

  public static BrowserFlowPlan of(RealmModel realm) {
    AuthenticationFlowModel existing = realm.getFlowByAlias(PasskeyFlowInstaller.FLOW_ALIAS);
    if (existing != null) {
      try {
        return new BrowserFlowPlan(
            existing.getAlias(), Optional.empty(), FlowNode.read(realm, existing, null, null));
      } catch (IllegalStateException broken) {
        return refused(existing.getAlias(), broken.getMessage());
      }
    }
    AuthenticationFlowModel current =
        Optional.ofNullable(realm.getBrowserFlow())
            .orElseGet(() -> realm.getFlowByAlias("browser"));
    if (current == null) {
      return refused("", "the realm has no browser flow to start from");
    }
    FlowNode source;
    try {
      source = FlowNode.read(realm, current, null, null);
    } catch (IllegalStateException broken) {
      return refused(current.getAlias(), broken.getMessage()); // refused with the reason, not a 500
    }
    long forms = source.count(n -> USERNAME_PASSWORD_FORM.equals(n.authenticator()));
    if (forms != 1) {
      return refused(
          current.getAlias(),
          forms == 0
              ? "the browser flow '"
                  + current.getAlias()
                  + "' has no 'Username Password Form' ("
                  + USERNAME_PASSWORD_FORM
                  + ") for the passkey page to take the place of (for example a flow that asks "
                  + "for the username and the password on two pages); bind a flow with the passkey-login step yourself, "
                  + "see docs/settings.md, Wiring it by hand"
              : "the browser flow '"
                  + current.getAlias()
                  + "' has "
                  + forms
                  + " 'Username Password Form' steps; "
                  + "it is not clear which one the passkey page should replace");
    }
    Converted converted = convert(source);
    if (converted.problem != null) {
      return refused(current.getAlias(), converted.problem);
    }
    return new BrowserFlowPlan(current.getAlias(), Optional.empty(), converted.node);
  }

  /** Writes the planned flow, unless the realm has it already; the plan must be {@link #ready}. */
  AuthenticationFlowModel install(RealmModel realm) {
    AuthenticationFlowModel existing = realm.getFlowByAlias(PasskeyFlowInstaller.FLOW_ALIAS);
    if (existing != null) {
      return existing;
    }
    return flow.write(
        realm,
        PasskeyFlowInstaller.FLOW_ALIAS,
        "Passkey sign-in with password fallback (Keycloak Passkeys): a copy of '" + source + "'");
  }

  private static BrowserFlowPlan refused(String source, String problem) {
    return new BrowserFlowPlan(source, Optional.of(problem), null);
  }

  private record Converted(FlowNode node, String problem) {}

  private static Converted convert(FlowNode node) {
    List<FlowNode> children = new ArrayList<>();
    boolean afterPasskeyPage = false;
    for (FlowNode child : node.children()) {
      if (!child.isFlow() && USERNAME_PASSWORD_FORM.equals(child.authenticator())) {
        children.add(
            child.withAuthenticator(
                PasskeyIds.AUTHENTICATOR_ID,
                "replaced: the passkey page takes the place of "
                    + USERNAME_PASSWORD_FORM
                    + " (password on the same page)"));
        afterPasskeyPage = true;
      } else if (!child.isFlow() && ORGANIZATION.equals(child.authenticator())) {
        return new Converted(
            null,
            "the Organization identity-first step shares a sub-flow with other steps; "
                + "enabling would have to switch that sub-flow off");
      } else if (child.isFlow() && onlyOrganization(child)) {
        children.add(
            child.withRequirement(
                Requirement.DISABLED,
                "switched off: the passkey page sends an "
                    + "organization's e-mail to its identity provider itself, and keeps passkey autofill on the first page"));
      } else if (child.isFlow()
          && afterPasskeyPage
          && child.requirement() == Requirement.CONDITIONAL
          && child.count(n -> SECOND_FACTORS.contains(n.authenticator())) > 0) {
        children.add(askedOnlyAfterAPassword(child));
      } else if (child.isFlow()) {
        Converted inner = convert(child);
        if (inner.problem != null) {
          return inner;
        }
        children.add(inner.node);
      } else {
        children.add(child);
      }
    }
    return new Converted(node.withChildren(children), null);
  }

  private static FlowNode askedOnlyAfterAPassword(FlowNode secondFactor) {
    if (secondFactor.children().stream()
        .anyMatch(c -> PasskeyIds.PASSWORD_SIGN_IN_CONDITION_ID.equals(c.authenticator()))) {
      return secondFactor;
    }
    List<FlowNode> children = new ArrayList<>();
    children.add(
        FlowNode.added(
            PasskeyIds.PASSWORD_SIGN_IN_CONDITION_ID,
            Requirement.REQUIRED,
            "added: asked only after a password sign-in (a passkey with user verification is already two factors)"));
    children.addAll(secondFactor.children());
    return secondFactor.withChildren(children);
  }

  /** A sub-flow whose only step, besides conditions, is the Organization identity-first login. */
  private static boolean onlyOrganization(FlowNode flow) {
    List<FlowNode> steps = flow.authenticators();
    return steps.stream().anyMatch(n -> ORGANIZATION.equals(n.authenticator()))
        && steps.stream()
            .allMatch(
                n ->
                    ORGANIZATION.equals(n.authenticator())
                        || n.authenticator().startsWith("conditional-"));
  }
}
