package dev.kcpasskeys.rest.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.enrollment.Enrollments;
import dev.kcpasskeys.rest.ApiError;
import dev.kcpasskeys.rest.JsonBody;
import dev.kcpasskeys.rest.PasskeyOperations;
import java.time.Instant;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;
import org.keycloak.urls.UrlType;

/**
 * Backend-started registrations, the admin side: create one for a user (the link goes to the user),
 * read its outcome, cancel it. The answer to creating is the only place the ticket ever appears.
 */
final class EnrollmentAdmin {

  static final long DEFAULT_LIFESPAN_SECONDS = 24 * 3600;
  static final long MAX_LIFESPAN_SECONDS = 30L * 24 * 3600;
  static final long MIN_LIFESPAN_SECONDS = 1;

  /** What the admin API answers about one registration. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Representation(
      @JsonProperty("id") String id,
      @JsonProperty("user_id") String userId,
      @JsonProperty("status") String status,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("expires_at") String expiresAt,
      @JsonProperty("completed_at") String completedAt,
      @JsonProperty("passkey_id") String passkeyId,
      @JsonProperty("client_id") String clientId,
      @JsonProperty("ticket") String ticket,
      @JsonProperty("url") String url) {

    /** For admin events: the ticket and link stay out of the event store. */
    Representation withoutSecrets() {
      return new Representation(
          id, userId, status, createdAt, expiresAt, completedAt, passkeyId, clientId, null, null);
    }

    static Representation of(Enrollments.Record record, String ticket, String url) {
      return new Representation(
          record.id(),
          record.userId(),
          record.effectiveStatus(Instant.now()),
          record.createdAt().toString(),
          record.expiresAt().toString(),
          record.completedAt().map(Instant::toString).orElse(null),
          record.passkeyId().orElse(null),
          record.clientId().orElse(null),
          ticket,
          url);
    }
  }

  private final KeycloakSession session;
  private final RealmModel realm;

  EnrollmentAdmin(KeycloakSession session, RealmModel realm) {
    this.session = session;
    this.realm = realm;
  }

  Representation create(UserModel user, byte[] body) {
    if (!PasskeySettings.read(realm).enabled()) {
      throw new ApiError(409, "passkeys_disabled", "enable passkeys in this realm first");
    }
    if (!user.isEnabled()) {
      throw new ApiError(409, "account_disabled", "this account is disabled");
    }
    JsonNode json = body == null || body.length == 0 ? null : JsonBody.object(body);
    long lifespan = DEFAULT_LIFESPAN_SECONDS;
    Optional<String> name = Optional.empty();
    Optional<String> clientId = Optional.empty();
    if (json != null) {
      if (json.has("expires_in")) {
        JsonNode value = json.get("expires_in");
        if (!value.canConvertToLong()
            || value.asLong() < MIN_LIFESPAN_SECONDS
            || value.asLong() > MAX_LIFESPAN_SECONDS) {
          throw new ApiError(
              400,
              "invalid_request",
              "expires_in must be a number of seconds from "
                  + MIN_LIFESPAN_SECONDS
                  + " to "
                  + MAX_LIFESPAN_SECONDS
                  + " (30 days)");
        }
        lifespan = value.asLong();
      }
      if (json.hasNonNull("name")) {
        name = Optional.of(PasskeyOperations.validName(JsonBody.text(json, "name")));
      }
      if (json.hasNonNull("client_id")) {
        String client = JsonBody.text(json, "client_id");
        if (realm.getClientByClientId(client) == null) {
          throw new ApiError(400, "invalid_request", "no client '" + client + "' in this realm");
        }
        clientId = Optional.of(client);
      }
    }
    Enrollments.Created created =
        new Enrollments(session).create(realm.getId(), user.getId(), lifespan, name, clientId);
    String url =
        // The realm's frontend URL: where users sign in, not the admin console's host name.
        Urls.realmIssuer(
                session.getContext().getUri(UrlType.FRONTEND).getBaseUri(), realm.getName())
            + "/passkeys/enroll#"
            + created.ticket();
    return Representation.of(created.record(), created.ticket(), url);
  }

  Representation find(String id) {
    return new Enrollments(session)
        .find(id)
        .map(record -> Representation.of(record, null, null))
        .orElseThrow(EnrollmentAdmin::notFound);
  }

  Representation cancel(String id) {
    return new Enrollments(session)
        .cancel(id)
        .map(record -> Representation.of(record, null, null))
        .orElseThrow(EnrollmentAdmin::notFound);
  }

  static ApiError notFound() {
    return new ApiError(
        404, "not_found", "no registration with this id (or its record expired, 7 days after it)");
  }
}
