package dev.kcpasskeys.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * {@code /realms/{realm}/passkeys/v1/me/passkeys}: an app manages the signed-in user's passkeys
 * with the user's bearer token. Every answer is JSON; errors are {@code
 * {"error","error_description"}}.
 */
public final class MePasskeysResource {

  static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakSession session;
  private final RealmModel realm;
  private final PasskeyCeremony ceremony;

  public MePasskeysResource(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.realm = session.getContext().getRealm();
    this.ceremony = ceremony;
  }

  @GET
  public Response list() {
    return respond(200, caller -> Map.of("passkeys", operations().list(caller.user())));
  }

  @GET
  @Path("{id}")
  public Response get(@PathParam("id") String id) {
    return respond(200, caller -> PasskeyRepresentation.of(operations().find(caller.user(), id)));
  }

  @PATCH
  @Path("{id}")
  public Response rename(@PathParam("id") String id, byte[] body) {
    return respond(
        200,
        caller -> {
          JsonNode json = JsonBody.object(body);
          operations()
              .find(caller.user(), id); // 404 before 403: unknown ids answer the same either way
          caller.requireRecentSignIn(realm);
          return operations().rename(caller.user(), id, JsonBody.text(json, "name"), event(caller));
        });
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") String id) {
    return respond(
        204,
        caller -> {
          operations().find(caller.user(), id);
          caller.requireStrongSignIn(session, realm);
          operations().delete(caller.user(), id, event(caller));
          return null;
        });
  }

  /** Starts a registration: the app passes {@code publicKey} to navigator.credentials.create(). */
  @POST
  public Response startRegistration() {
    return respond(
        200,
        caller -> {
          operations().requireRoomForOneMore(caller.user(), event(caller));
          caller.requireStrongSignIn(session, realm);
          return operations()
              .startRegistration(caller.user(), caller.userSession().getId(), ceremony);
        });
  }

  /** Finishes a registration with the browser's {@code credential.toJSON()}; single use. */
  @POST
  @Path("{id}/attempt_verification")
  public Response finishRegistration(@PathParam("id") String id, byte[] body) {
    return respond(
        200,
        caller -> {
          return operations()
              .finishPending(
                  id,
                  body,
                  caller.user(),
                  caller.client(),
                  caller.userSession().getId(),
                  "api",
                  ceremony,
                  event(caller));
        });
  }

  @OPTIONS
  @Path("{any:.*}")
  public Response preflight() {
    return ApiCors.preflight(session.getContext().getRequestHeaders().getHeaderString("Origin"));
  }

  private Response respond(int status, Function<ApiCaller, Object> action) {
    ApiCaller caller = null;
    try {
      caller = ApiCaller.authenticate(session, realm);
      Object entity = action.apply(caller);
      Response.ResponseBuilder ok = Response.status(status);
      if (entity != null) {
        ok.entity(JSON.writeValueAsString(entity)).type(MediaType.APPLICATION_JSON_TYPE);
      }
      return ApiCors.add(ok.header("Cache-Control", "no-store"), caller);
    } catch (ApiError e) {
      return ApiCors.add(
          Response.fromResponse(e.getResponse()).header("Cache-Control", "no-store"), caller);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private PasskeyOperations operations() {
    return PasskeyOperations.byUser(session, realm);
  }

  private EventBuilder event(ApiCaller caller) {
    return new EventBuilder(realm, session, session.getContext().getConnection())
        .client(caller.client())
        .session(caller.userSession());
  }
}
