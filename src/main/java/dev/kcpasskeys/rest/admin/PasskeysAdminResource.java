package dev.kcpasskeys.rest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.config.AssurancePolicy;
import dev.kcpasskeys.config.AttestationSettings;
import dev.kcpasskeys.config.BrowserFlowPlan;
import dev.kcpasskeys.config.NativeAppFiles;
import dev.kcpasskeys.config.NudgePolicy;
import dev.kcpasskeys.config.PasskeyFlowInstaller;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.config.SettingsUpdate;
import dev.kcpasskeys.config.SettingsWarnings;
import dev.kcpasskeys.config.SignUpPolicy;
import dev.kcpasskeys.credential.StorageUnavailableException;
import dev.kcpasskeys.rest.ApiError;
import dev.kcpasskeys.rest.JsonBody;
import dev.kcpasskeys.rest.PasskeyOperations;
import dev.kcpasskeys.rest.PasskeyRepresentation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/passkeys}: settings (and, with the API work, users' passkeys). */
public final class PasskeysAdminResource {

  private final KeycloakSession session;
  private final RealmModel realm;
  private final AdminPermissionEvaluator auth;
  private final AdminEventBuilder adminEvent;

  PasskeysAdminResource(
      KeycloakSession session,
      RealmModel realm,
      AdminPermissionEvaluator auth,
      AdminEventBuilder adminEvent) {
    this.session = session;
    this.realm = realm;
    this.auth = auth;
    this.adminEvent = adminEvent.resource(ResourceType.REALM);
  }

  @GET
  @Path("v1/settings")
  @Produces(MediaType.APPLICATION_JSON)
  public SettingsRepresentation settings() {
    auth.realm().requireViewRealm();
    return representation(PasskeySettings.read(realm));
  }

  @PUT
  @Path("v1/settings")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public SettingsRepresentation updateSettings(byte[] json) {
    auth.realm().requireManageRealm();
    SettingsRepresentation body =
        SettingsRepresentation.parse(json == null ? "" : JsonBody.utf8(json));
    PasskeySettings saved;
    try {
      saved = body.toUpdate().applyTo(realm, session.getContext().getUri().getBaseUri().getHost());
    } catch (SettingsUpdate.Invalid e) {
      throw new ApiError(400, e.code(), e.getMessage());
    }
    SettingsRepresentation result = representation(saved);
    adminEvent
        .operation(OperationType.UPDATE)
        .resourcePath(session.getContext().getUri())
        .representation(result)
        .success();
    return result;
  }

  /**
   * The dry run of enabling: the browser flow it would install (or the one it keeps), step by step
   * with what changes, or why it would refuse. Changes nothing.
   */
  @GET
  @Path("v1/settings/browser-flow")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> browserFlowPlan() {
    auth.realm().requireViewRealm();
    BrowserFlowPlan plan = BrowserFlowPlan.of(realm);
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    answer.put("flow", PasskeyFlowInstaller.FLOW_ALIAS);
    answer.put("source_flow", plan.source());
    answer.put("installed", realm.getFlowByAlias(PasskeyFlowInstaller.FLOW_ALIAS) != null);
    answer.put("ready", plan.ready());
    answer.put("problem", plan.problem().orElse(null));
    answer.put(
        "steps",
        plan.ready()
            ? plan.flow().steps().stream()
                .skip(1)
                .map(
                    step ->
                        Map.of(
                            "level",
                            step.level(),
                            "kind",
                            step.kind(),
                            "step",
                            step.step(),
                            "requirement",
                            step.requirement(),
                            "change",
                            step.change()))
                .toList()
            : List.of());
    return answer;
  }

  /**
   * The {@code /.well-known/assetlinks.json} an Android app's passkeys need on the RP ID's host,
   * for {@code package_name}, with the signing certificates the realm's {@code
   * android:apk-key-hash:} origins name.
   */
  @GET
  @Path("v1/native-apps/assetlinks.json")
  @Produces(MediaType.APPLICATION_JSON)
  public Object assetLinks(@QueryParam("package_name") String packageName) {
    auth.realm().requireViewRealm();
    List<String> origins = PasskeySettings.read(realm).origins();
    NativeAppFiles.assetLinksProblem(origins, packageName)
        .ifPresent(
            problem -> {
              throw new ApiError(400, problem.code(), problem.message());
            });
    return NativeAppFiles.assetLinks(origins, packageName);
  }

  /**
   * The {@code /.well-known/apple-app-site-association} an iOS or macOS app's passkeys need on the
   * RP ID's host, for each {@code app_id} (TEAMID.bundle.id).
   */
  @GET
  @Path("v1/native-apps/apple-app-site-association")
  @Produces(MediaType.APPLICATION_JSON)
  public Object appleAppSiteAssociation(@QueryParam("app_id") List<String> appIds) {
    auth.realm().requireViewRealm();
    NativeAppFiles.appleProblem(appIds)
        .ifPresent(
            problem -> {
              throw new ApiError(400, problem.code(), problem.message());
            });
    return NativeAppFiles.appleAppSiteAssociation(appIds);
  }

  @GET
  @Path("v1/users/{userId}/passkeys")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> userPasskeys(@PathParam("userId") String userId) {
    UserModel user = user(userId);
    auth.users().requireView(user);
    return Map.of("passkeys", operations().list(user));
  }

  @GET
  @Path("v1/users/{userId}/passkeys/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public PasskeyRepresentation userPasskey(
      @PathParam("userId") String userId, @PathParam("id") String id) {
    UserModel user = user(userId);
    auth.users().requireView(user);
    return PasskeyRepresentation.of(operations().find(user, id));
  }

  @PATCH
  @Path("v1/users/{userId}/passkeys/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public PasskeyRepresentation renameUserPasskey(
      @PathParam("userId") String userId, @PathParam("id") String id, byte[] body) {
    UserModel user = user(userId);
    auth.users().requireManage(user);
    JsonNode json = JsonBody.object(body);
    operations().find(user, id);
    PasskeyRepresentation renamed =
        operations().rename(user, id, JsonBody.text(json, "name"), userEvent());
    adminEvent
        .resource(ResourceType.USER)
        .operation(OperationType.UPDATE)
        .resourcePath(session.getContext().getUri())
        .representation(renamed)
        .success();
    return renamed;
  }

  @DELETE
  @Path("v1/users/{userId}/passkeys/{id}")
  public Response deleteUserPasskey(
      @PathParam("userId") String userId, @PathParam("id") String id) {
    UserModel user = user(userId);
    auth.users().requireManage(user);
    operations().delete(user, id, userEvent());
    adminEvent
        .resource(ResourceType.USER)
        .operation(OperationType.DELETE)
        .resourcePath(session.getContext().getUri())
        .success();
    return Response.noContent().build();
  }

  /**
   * Starts a registration for the user, to complete in a browser (the answer's {@code url}) or an
   * app (its {@code ticket}); the caller never gets a way to sign in as the user.
   */
  @POST
  @Path("v1/users/{userId}/registrations")
  @Produces(MediaType.APPLICATION_JSON)
  public Response startUserRegistration(@PathParam("userId") String userId, byte[] body) {
    UserModel user = user(userId);
    auth.users().requireManage(user);
    EnrollmentAdmin.Representation created = new EnrollmentAdmin(session, realm).create(user, body);
    adminEvent
        .resource(ResourceType.USER)
        .operation(OperationType.CREATE)
        .resourcePath(session.getContext().getUri())
        .representation(created.withoutSecrets())
        .success();
    return Response.status(201).entity(created).type(MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** The outcome of a backend-started registration: pending, completed, expired or cancelled. */
  @GET
  @Path("v1/registrations/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public EnrollmentAdmin.Representation registration(@PathParam("id") String id) {
    EnrollmentAdmin.Representation found = new EnrollmentAdmin(session, realm).find(id);
    auth.users().requireView(userOf(found));
    return found;
  }

  /** Cancels a pending registration: its link stops working at once. */
  @DELETE
  @Path("v1/registrations/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public EnrollmentAdmin.Representation cancelRegistration(@PathParam("id") String id) {
    EnrollmentAdmin enrollments = new EnrollmentAdmin(session, realm);
    auth.users().requireManage(userOf(enrollments.find(id)));
    EnrollmentAdmin.Representation cancelled = enrollments.cancel(id);
    adminEvent
        .resource(ResourceType.USER)
        .operation(OperationType.DELETE)
        .resourcePath(session.getContext().getUri())
        .representation(cancelled)
        .success();
    return cancelled;
  }

  private UserModel userOf(EnrollmentAdmin.Representation registration) {
    UserModel user = session.users().getUserById(realm, registration.userId());
    if (user == null) {
      auth.users().requireQuery();
      throw EnrollmentAdmin.notFound();
    }
    return user;
  }

  @GET
  @Path("v1/stats")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> stats() {
    auth.users().requireView();
    try {
      return new PasskeyStats(session, realm).compute();
    } catch (StorageUnavailableException e) {
      throw new ApiError(
          503,
          "temporarily_unavailable",
          "the passkey counts could not be read right now; try again in a moment");
    }
  }

  private UserModel user(String userId) {
    UserModel user = userId == null ? null : session.users().getUserById(realm, userId);
    if (user == null) {
      auth.users().requireQuery();
      throw new ApiError(404, "not_found", "no user with this id");
    }
    return user;
  }

  private PasskeyOperations operations() {
    return PasskeyOperations.byAdmin(session, realm);
  }

  private EventBuilder userEvent() {
    return new EventBuilder(realm, session, session.getContext().getConnection())
        .detail("acting_admin", auth.adminAuth().getUser().getId());
  }

  private SettingsRepresentation representation(PasskeySettings settings) {
    return SettingsRepresentation.of(
        settings,
        NudgePolicy.read(realm),
        SignUpPolicy.read(realm),
        AssurancePolicy.read(realm),
        AttestationSettings.read(realm),
        PasskeySettings.upgradeEnabled(realm),
        PasskeySettings.twoFactorKeysSignIn(realm),
        PasskeySettings.amrClaim(realm),
        alias(realm.getBrowserFlow()),
        alias(realm.getRegistrationFlow()),
        SettingsWarnings.of(session, realm));
  }

  private static String alias(AuthenticationFlowModel flow) {
    return flow == null ? null : flow.getAlias();
  }
}
