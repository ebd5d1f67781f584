package dev.kcpasskeys.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.enrollment.Enrollments;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code /realms/{realm}/passkeys/v1/registrations/...}: the user completes a registration a
 * backend started for them (a link from support or onboarding), in the passkeys enrolment page or
 * in an app. The ticket is the only credential: it registers one passkey for its user, once, before
 * it expires, under every policy of the realm. It signs no one in and issues no token.
 */
public final class EnrollmentResource {

  private final KeycloakSession session;
  private final RealmModel realm;
  private final PasskeyCeremony ceremony;

  public EnrollmentResource(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.realm = session.getContext().getRealm();
    this.ceremony = ceremony;
  }

  /**
   * Creation options for the ticket's user; asking again replaces the challenge. The ticket comes
   * in the body, never in a URL, so that no access log keeps it.
   */
  @POST
  @Path("options")
  public Response options(byte[] body) {
    return respond(
        body,
        (json, ticket, pending) -> {
          UserModel user = user(pending);
          byte[] challenge = PasskeyCeremony.newChallenge();
          PasskeyStore store = new PasskeyStore(session, realm);
          String options =
              ceremony
                  .creationOptions(
                      PasskeyRequest.relyingParty(session, realm),
                      PasskeyStore.identity(user),
                      challenge,
                      store.list(user).stream().map(Passkey::stored).toList())
                  .toJson();
          long timeout = PasskeyRequest.relyingParty(session, realm).timeout().toSeconds();
          if (!new Enrollments(session).challenge(ticket, realm.getId(), challenge, timeout)) {
            throw notFound();
          }
          ObjectNode result = JsonNodeFactory.instance.objectNode();
          result.put("registration_id", pending.registrationId());
          result.put("username", user.getUsername());
          pending.name().ifPresent(name -> result.put("name", name));
          result.put("expires_at", pending.expiresAt().toString());
          result.set("publicKey", JsonBody.tree(options));
          return result;
        });
  }

  /**
   * Verifies the browser's {@code credential.toJSON()} and saves the passkey; the ticket is used
   * up. A response the realm refuses saves nothing and leaves the ticket for another try.
   */
  @POST
  @Path("attempt_verification")
  public Response complete(byte[] body) {
    return respond(
        body,
        (json, ticket, peeked) -> {
          JsonNode credential = JsonBody.credential(json);
          Optional<String> name =
              json.hasNonNull("name") ? Optional.of(JsonBody.text(json, "name")) : peeked.name();
          Enrollments enrollments = new Enrollments(session);
          Enrollments.Ticket taken =
              enrollments.take(ticket, realm.getId()).orElseThrow(this::notFound);
          if (taken.challenge().isEmpty()) {
            enrollments.giveBack(ticket, taken);
            throw new ApiError(
                400, "invalid_request", "ask for the options first: POST .../options");
          }
          try {
            UserModel user = user(taken);
            PasskeyRepresentation passkey =
                PasskeyOperations.byUser(session, realm)
                    .register(
                        user,
                        client(taken),
                        taken.challenge().get(),
                        credential.toString(),
                        name,
                        "enrollment",
                        ceremony,
                        event(taken));
            enrollments.completed(taken, passkey.id());
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("registration_id", taken.registrationId());
            result.put("status", Enrollments.COMPLETED);
            result.set("passkey", MePasskeysResource.JSON.valueToTree(passkey));
            return result;
          } catch (ApiError refused) {
            enrollments.giveBack(ticket, taken);
            throw refused;
          }
        });
  }

  @OPTIONS
  @Path("{any:.*}")
  public Response preflight() {
    return ApiCors.preflight(session.getContext().getRequestHeaders().getHeaderString("Origin"));
  }

  /** What one call does with its body, its ticket and the registration the ticket is for. */
  @FunctionalInterface
  private interface Action {
    Object apply(JsonNode body, String ticket, Enrollments.Ticket pending);
  }

  private Response respond(byte[] body, Action action) {
    ClientModel client = null;
    try {
      JsonNode json = JsonBody.object(body);
      String ticket = json.path("ticket").asText("");
      if (!PasskeySettings.read(realm).enabled()) {
        throw new ApiError(404, "not_found", "passkeys are not enabled in this realm");
      }
      Enrollments.Ticket pending =
          new Enrollments(session).ticket(ticket, realm.getId()).orElseThrow(this::notFound);
      client = client(pending);
      Object entity = action.apply(json, ticket, pending);
      return ApiCors.addFor(
          Response.ok(
                  MePasskeysResource.JSON.writeValueAsString(entity),
                  MediaType.APPLICATION_JSON_TYPE)
              .header("Cache-Control", "no-store"),
          session,
          client);
    } catch (ApiError e) {
      return ApiCors.addFor(
          Response.fromResponse(e.getResponse()).header("Cache-Control", "no-store"),
          session,
          client);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ApiError notFound() {
    return new ApiError(
        404,
        "registration_not_found",
        "no registration with this ticket: it expired, was used or cancelled, or never existed");
  }

  private UserModel user(Enrollments.Ticket ticket) {
    UserModel user = session.users().getUserById(realm, ticket.userId());
    if (user == null) {
      throw notFound();
    }
    if (!user.isEnabled()) {
      throw new ApiError(403, "account_disabled", "this account is disabled");
    }
    return user;
  }

  private ClientModel client(Enrollments.Ticket ticket) {
    return ticket.clientId().map(realm::getClientByClientId).orElse(null);
  }

  private EventBuilder event(Enrollments.Ticket ticket) {
    EventBuilder event =
        new EventBuilder(realm, session, session.getContext().getConnection())
            .detail("registration_id", ticket.registrationId());
    ClientModel client = client(ticket);
    return client == null ? event : event.client(client);
  }
}
