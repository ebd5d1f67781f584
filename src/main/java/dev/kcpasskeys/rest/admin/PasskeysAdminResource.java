package dev.kcpasskeys.rest.admin;

import dev.kcpasskeys.config.PasskeyFlowInstaller;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.config.RelyingPartyPolicy;
import dev.kcpasskeys.rest.ApiError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/passkeys}: settings (and, with the API work, users' passkeys). */
public final class PasskeysAdminResource {

  private static final Set<String> UV = Set.of("required");
  private static final Set<String> ATTESTATION = Set.of("none");

  private final KeycloakSession session;
  private final RealmModel realm;
  private final AdminPermissionEvaluator auth;
  private final AdminEventBuilder adminEvent;

  PasskeysAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
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
    return SettingsRepresentation.of(PasskeySettings.read(realm), browserFlowAlias());
  }

  @PUT
  @Path("v1/settings")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public SettingsRepresentation updateSettings(SettingsRepresentation body) {
    auth.realm().requireManageRealm();
    if (body == null) {
      throw new ApiError(400, "invalid_request", "a JSON object is required");
    }
    PasskeySettings current = PasskeySettings.read(realm);
    PasskeySettings merged = validate(body, current);
    merged.write(realm);
    boolean enable = body.enabled() == null ? current.enabled() : body.enabled();
    PasskeySettings saved = enable ? PasskeyFlowInstaller.enable(realm, merged)
        : current.enabled() ? PasskeyFlowInstaller.disable(realm, merged) : merged;
    SettingsRepresentation result = SettingsRepresentation.of(saved, browserFlowAlias());
    adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri())
        .representation(result).success();
    return result;
  }

  /** Checks every field before anything is written: bad input changes nothing. */
  private PasskeySettings validate(SettingsRepresentation body, PasskeySettings current) {
    String host = session.getContext().getUri().getBaseUri().getHost();
    Optional<String> rpId = body.rpId() == null ? current.rpId() : blankToEmpty(body.rpId());
    rpId.flatMap(id -> RelyingPartyPolicy.rpIdProblem(id, host))
        .ifPresent(problem -> { throw new ApiError(400, "invalid_rp_id", problem); });
    List<String> origins = body.origins() == null ? current.origins() : List.copyOf(new LinkedHashSet<>(body.origins()));
    for (String origin : origins) {
      RelyingPartyPolicy.originProblem(origin == null ? "" : origin)
          .ifPresent(problem -> { throw new ApiError(400, "invalid_origin", problem); });
    }
    if (body.userVerification() != null && !UV.contains(body.userVerification())) {
      throw new ApiError(400, "invalid_user_verification", "passkeys always require user verification: use \"required\"");
    }
    if (body.attestation() != null && !ATTESTATION.contains(body.attestation())) {
      throw new ApiError(400, "invalid_attestation", "only \"none\" attestation is supported");
    }
    Set<UUID> aaguids = body.allowedAaguids() == null ? current.allowedAaguids() : parseAaguids(body.allowedAaguids());
    Optional<String> rpName = body.rpName() == null ? current.rpName() : blankToEmpty(body.rpName());
    if (rpName.map(String::length).orElse(0) > 128) {
      throw new ApiError(400, "invalid_rp_name", "rp_name is limited to 128 characters");
    }
    return new PasskeySettings(current.enabled(), rpId.map(String::toLowerCase), rpName, origins, "required", "none",
        aaguids, current.previousBrowserFlow());
  }

  private static Set<UUID> parseAaguids(List<String> values) {
    Set<UUID> result = new LinkedHashSet<>();
    for (String value : new ArrayList<>(values)) {
      try {
        result.add(UUID.fromString(value == null ? "" : value.trim()));
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, "invalid_aaguid", "'" + value + "' is not an AAGUID (a UUID such as "
            + "fbfc3007-154e-4ecc-8c0b-6e020557d7bd)");
      }
    }
    return result;
  }

  private static Optional<String> blankToEmpty(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private String browserFlowAlias() {
    return realm.getBrowserFlow() == null ? null : realm.getBrowserFlow().getAlias();
  }
}
