package dev.kcpasskeys.rest.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.rest.ApiError;
import dev.kcpasskeys.rest.JsonBody;
import dev.kcpasskeys.rest.PasskeyOperations;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * {@code /realms/{realm}/passkeys/page/...}: the passkeys page's own JSON calls, authenticated by
 * the SSO cookie and guarded against CSRF ({@link PageCsrf}). Only changes live here (POST, PATCH,
 * DELETE); the rules are {@link PasskeyOperations}', shared with the app API.
 */
public final class PasskeysPageApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakSession session;
  private final RealmModel realm;
  private final PasskeyCeremony ceremony;

  public PasskeysPageApi(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.realm = session.getContext().getRealm();
    this.ceremony = ceremony;
  }

  @PATCH
  @Path("passkeys/{id}")
  public Response rename(@PathParam("id") String id, byte[] body) {
    return respond(
        visitor -> {
          JsonNode json = JsonBody.object(body);
          operations().find(visitor.user(), id);
          visitor.requireRecentSignIn(realm);
          return operations()
              .rename(visitor.user(), id, JsonBody.text(json, "name"), event(visitor));
        });
  }

  /** Answers with the credential ids still accepted, for the page's Signal API call. */
  @DELETE
  @Path("passkeys/{id}")
  public Response delete(@PathParam("id") String id) {
    return respond(
        visitor -> {
          operations().find(visitor.user(), id);
          visitor.requireStrongSignIn(session, realm);
          operations().delete(visitor.user(), id, event(visitor));
          return Map.of(
              "accepted_credential_ids",
              new PasskeyStore(session, realm)
                  .list(visitor.user()).stream()
                      .map(
                          p ->
                              Base64.getUrlEncoder()
                                  .withoutPadding()
                                  .encodeToString(p.stored().credentialId()))
                      .toList());
        });
  }

  /**
   * Starts adding a passkey: the page passes {@code publicKey} to navigator.credentials.create().
   */
  @POST
  @Path("registrations")
  public Response startRegistration() {
    return respond(
        visitor -> {
          operations().requireRoomForOneMore(visitor.user(), event(visitor));
          visitor.requireStrongSignIn(session, realm);
          return operations()
              .startRegistration(visitor.user(), visitor.userSession().getId(), ceremony);
        });
  }

  /** Finishes adding a passkey with the browser's {@code credential.toJSON()}; single use. */
  @POST
  @Path("registrations/{id}")
  public Response finishRegistration(@PathParam("id") String id, byte[] body) {
    return respond(
        visitor -> {
          return operations()
              .finishPending(
                  id,
                  body,
                  visitor.user(),
                  null, // no app: the passkeys page is the user's own
                  visitor.userSession().getId(),
                  "page",
                  ceremony,
                  event(visitor));
        });
  }

  private Response respond(Function<PageVisitor, Object> action) {
    try {
      PageVisitor visitor =
          PageVisitor.fromCookie(session, realm)
              .orElseThrow(
                  () ->
                      new ApiError(401, "login_required", "sign in again to manage your passkeys"));
      PageCsrf.verify(session, visitor.userSession());
      Object entity = action.apply(visitor);
      return Response.ok(JSON.writeValueAsString(entity), MediaType.APPLICATION_JSON_TYPE)
          .header("Cache-Control", "no-store")
          .build();
    } catch (ApiError e) {
      return Response.fromResponse(e.getResponse()).header("Cache-Control", "no-store").build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private PasskeyOperations operations() {
    return PasskeyOperations.byUser(session, realm);
  }

  private EventBuilder event(PageVisitor visitor) {
    EventBuilder event =
        new EventBuilder(realm, session, session.getContext().getConnection())
            .session(visitor.userSession());
    Optional.ofNullable(realm.getClientByClientId(PasskeyIds.PAGE_CLIENT_ID))
        .ifPresent(event::client);
    return event;
  }
}
