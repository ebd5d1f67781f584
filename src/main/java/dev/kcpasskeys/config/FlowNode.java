package dev.kcpasskeys.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

/**
 * An authentication flow and its executions as plain values: read from a realm, changed in memory,
 * shown to an admin as a plan before anything is written, and written as a new flow. Keeps enabling
 * honest: what the plan shows is exactly what is written.
 *
 * @param authenticator the authenticator's provider id; null for a sub-flow
 * @param alias the sub-flow's alias (or the top-level flow's); null for an authenticator
 * @param flowType the flow's provider id ({@code basic-flow}, {@code form-flow}); null for an
 *     authenticator
 * @param requirement REQUIRED, ALTERNATIVE, CONDITIONAL or DISABLED
 * @param configId the execution's configuration in the source realm, copied when written; may be
 *     null
 * @param change what enabling does to this step, for the plan ("kept" when nothing)
 */
public record FlowNode(
    String authenticator,
    String alias,
    String description,
    String flowType,
    Requirement requirement,
    String configId,
    List<FlowNode> children,
    String change) {

  public static final String KEPT = "kept";

  /** A form flow's execution names Keycloak's form authenticator (registration flows). */
  private static final String FORM_FLOW = "form-flow";

  public FlowNode {
    children = List.copyOf(children);
  }

  public boolean isFlow() {
    return authenticator == null;
  }

  /** A step as the plan lists it: depth-first, with its depth. */
  public record Step(int level, String kind, String step, String requirement, String change) {}

  /** Reads a flow of the realm, depth-first in priority order. */
  static FlowNode read(
      RealmModel realm, AuthenticationFlowModel flow, Requirement requirement, String configId) {
    List<FlowNode> children = new ArrayList<>();
    realm
        .getAuthenticationExecutionsStream(flow.getId())
        .forEach(
            execution -> {
              if (execution.isAuthenticatorFlow()) {
                AuthenticationFlowModel sub =
                    realm.getAuthenticationFlowById(execution.getFlowId());
                if (sub == null) {
                  throw new IllegalStateException(
                      "flow '" + flow.getAlias() + "' has a step whose sub-flow no longer exists");
                }
                children.add(
                    read(
                        realm,
                        sub,
                        execution.getRequirement(),
                        execution.getAuthenticatorConfig()));
              } else {
                children.add(
                    new FlowNode(
                        execution.getAuthenticator(),
                        null,
                        null,
                        null,
                        execution.getRequirement(),
                        execution.getAuthenticatorConfig(),
                        List.of(),
                        KEPT));
              }
            });
    return new FlowNode(
        null,
        flow.getAlias(),
        flow.getDescription(),
        flow.getProviderId(),
        requirement,
        configId,
        children,
        KEPT);
  }

  FlowNode withAuthenticator(String value, String why) {
    return new FlowNode(value, alias, description, flowType, requirement, configId, children, why);
  }

  FlowNode withRequirement(Requirement value, String why) {
    return new FlowNode(
        authenticator, alias, description, flowType, value, configId, children, why);
  }

  FlowNode withChildren(List<FlowNode> value) {
    return new FlowNode(
        authenticator, alias, description, flowType, requirement, configId, value, change);
  }

  static FlowNode added(String authenticator, Requirement requirement, String why) {
    return new FlowNode(authenticator, null, null, null, requirement, null, List.of(), why);
  }

  /** Every authenticator below this node (sub-flows' included). */
  List<FlowNode> authenticators() {
    List<FlowNode> found = new ArrayList<>();
    for (FlowNode child : children) {
      if (child.isFlow()) {
        found.addAll(child.authenticators());
      } else {
        found.add(child);
      }
    }
    return found;
  }

  long count(Predicate<FlowNode> test) {
    return authenticators().stream().filter(test).count();
  }

  /** Depth-first, the node itself first at {@code level}. */
  public List<Step> steps() {
    List<Step> steps = new ArrayList<>();
    collect(0, steps);
    return steps;
  }

  private void collect(int level, List<Step> into) {
    into.add(
        new Step(
            level,
            isFlow() ? "flow" : "authenticator",
            isFlow() ? alias : authenticator,
            requirement == null ? "" : requirement.name(),
            change));
    children.forEach(child -> child.collect(level + 1, into));
  }

  /**
   * Writes this node as a new top-level flow named {@code topAlias}; sub-flows are named after it
   * and their source, and each execution gets its own copy of its configuration.
   */
  AuthenticationFlowModel write(RealmModel realm, String topAlias, String topDescription) {
    AuthenticationFlowModel top = newFlow(realm, topAlias, topDescription, flowType, true);
    writeChildren(realm, top, topAlias);
    return top;
  }

  private void writeChildren(RealmModel realm, AuthenticationFlowModel parent, String topAlias) {
    int priority = 0;
    for (FlowNode child : children) {
      priority += 10;
      AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
      execution.setParentFlow(parent.getId());
      execution.setRequirement(child.requirement);
      execution.setPriority(priority);
      execution.setAuthenticatorFlow(child.isFlow());
      if (child.isFlow()) {
        AuthenticationFlowModel sub =
            newFlow(
                realm,
                unique(realm, topAlias + " - " + child.alias),
                child.description,
                child.flowType,
                false);
        child.writeChildren(realm, sub, topAlias);
        execution.setFlowId(sub.getId());
        if (FORM_FLOW.equals(child.flowType)) {
          execution.setAuthenticator("registration-page-form");
        }
      } else {
        execution.setAuthenticator(child.authenticator);
      }
      Optional.ofNullable(child.configId)
          .map(realm::getAuthenticatorConfigById)
          .ifPresent(
              config ->
                  execution.setAuthenticatorConfig(copyConfig(realm, config, topAlias).getId()));
      realm.addAuthenticatorExecution(execution);
    }
  }

  private static AuthenticationFlowModel newFlow(
      RealmModel realm, String alias, String description, String type, boolean topLevel) {
    AuthenticationFlowModel model = new AuthenticationFlowModel();
    model.setAlias(alias);
    model.setDescription(description);
    model.setProviderId(type == null ? "basic-flow" : type);
    model.setTopLevel(topLevel);
    model.setBuiltIn(false);
    return realm.addAuthenticationFlow(model);
  }

  private static String unique(RealmModel realm, String alias) {
    String candidate = alias;
    for (int n = 2; realm.getFlowByAlias(candidate) != null; n++) {
      candidate = alias + " " + n;
    }
    return candidate;
  }

  /**
   * Each execution owns its configuration (deleting the flow deletes it), so the copy gets its own.
   */
  private static AuthenticatorConfigModel copyConfig(
      RealmModel realm, AuthenticatorConfigModel source, String topAlias) {
    AuthenticatorConfigModel copy = new AuthenticatorConfigModel();
    String base = topAlias + " - " + Optional.ofNullable(source.getAlias()).orElse("config");
    String alias = base;
    for (int n = 2; realm.getAuthenticatorConfigByAlias(alias) != null; n++) {
      alias = base + " " + n;
    }
    copy.setAlias(alias);
    copy.setConfig(new HashMap<>(Optional.ofNullable(source.getConfig()).orElse(Map.of())));
    return realm.addAuthenticatorConfig(copy);
  }
}
