package dev.kcpasskeys.enrollment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Registrations a backend started for a user (an onboarding or support link): a secret ticket the
 * user completes once, before it expires, and a record the backend reads to learn the outcome.
 *
 * <p>Both live in Keycloak's single-use store: replicated across the cluster, expiring by
 * themselves, and taking a ticket is atomic, so it completes at most once. The store keys a ticket
 * by its SHA-256, so neither the cache nor its database holds a usable ticket. The record outlives
 * the ticket by {@link #RECORD_RETENTION_SECONDS}, so a backend still learns "expired" or
 * "completed" after the link is gone.
 */
public final class Enrollments {

  /** What the backend sees of one registration. */
  public record Record(
      String id,
      String userId,
      String status,
      Instant createdAt,
      Instant expiresAt,
      Optional<Instant> completedAt,
      Optional<String> passkeyId,
      Optional<String> clientId) {

    /** {@code pending} until completed or cancelled, then {@code expired} once past its expiry. */
    public String effectiveStatus(Instant now) {
      return PENDING.equals(status) && !now.isBefore(expiresAt) ? EXPIRED : status;
    }
  }

  /** A ticket waiting to be completed. */
  public record Ticket(
      String registrationId,
      String realmId,
      String userId,
      Optional<String> name,
      Optional<String> clientId,
      Optional<byte[]> challenge,
      Instant expiresAt) {}

  /** A registration just created: the secret ticket goes into the link and nowhere else. */
  public record Created(Record record, String ticket) {}

  public static final String PENDING = "pending";
  public static final String COMPLETED = "completed";
  public static final String EXPIRED = "expired";
  public static final String CANCELLED = "cancelled";
  public static final long RECORD_RETENTION_SECONDS = 7 * 24 * 3600;

  private static final String TICKET_PREFIX = "passkeys.enrollment.ticket.";
  private static final String RECORD_PREFIX = "passkeys.enrollment.";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SingleUseObjectProvider store;

  public Enrollments(KeycloakSession session) {
    this.store = session.getProvider(SingleUseObjectProvider.class);
  }

  public Created create(
      String realmId,
      String userId,
      long lifespanSeconds,
      Optional<String> name,
      Optional<String> clientId) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String ticket = B64.encodeToString(secret);
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    Instant expires = now.plusSeconds(lifespanSeconds);
    Map<String, String> ticketData = new HashMap<>();
    ticketData.put("registration", id);
    ticketData.put("realm", realmId);
    ticketData.put("user", userId);
    ticketData.put("expires", Long.toString(expires.getEpochSecond()));
    name.ifPresent(n -> ticketData.put("name", n));
    clientId.ifPresent(c -> ticketData.put("client", c));
    Record record =
        new Record(id, userId, PENDING, now, expires, Optional.empty(), Optional.empty(), clientId);
    Map<String, String> recordData = toMap(record);
    recordData.put("ticketKey", ticketKey(ticket)); // to cancel: the key, never the ticket
    store.put(RECORD_PREFIX + id, lifespanSeconds + RECORD_RETENTION_SECONDS, recordData);
    store.put(ticketKey(ticket), lifespanSeconds, ticketData);
    return new Created(record, ticket);
  }

  public Optional<Record> find(String id) {
    if (id == null || !id.matches("[0-9a-f-]{36}")) {
      return Optional.empty();
    }
    Map<String, String> data = store.get(RECORD_PREFIX + id);
    return data == null ? Optional.empty() : Optional.of(fromMap(id, data));
  }

  /**
   * The ticket's registration, while it can still be completed: of this realm, before its expiry
   * (checked here too: the store's lifespan is not the only guard) and not cancelled.
   */
  public Optional<Ticket> ticket(String ticket, String realmId) {
    if (!wellFormed(ticket)) {
      return Optional.empty();
    }
    Map<String, String> data = store.get(ticketKey(ticket));
    return usable(data, realmId, Optional.empty());
  }

  /**
   * Remembers the challenge of the creation options just handed out for this ticket, under a key of
   * its own with a lifespan of its own (the ticket's entry is never rewritten, so it keeps its
   * expiry); asking again replaces it.
   */
  public boolean challenge(String ticket, String realmId, byte[] challenge, long timeoutSeconds) {
    Optional<Ticket> pending = ticket(ticket, realmId);
    if (pending.isEmpty()) {
      return false;
    }
    long left = secondsLeft(pending.get());
    store.put(
        ticketKey(ticket) + ".challenge",
        Math.max(1, Math.min(timeoutSeconds, left)),
        Map.of("challenge", B64.encodeToString(challenge)));
    return true;
  }

  /** Takes the ticket, with its latest challenge: only one caller ever gets it. */
  public Optional<Ticket> take(String ticket, String realmId) {
    if (!wellFormed(ticket)) {
      return Optional.empty();
    }
    Map<String, String> data = store.remove(ticketKey(ticket));
    Map<String, String> challenge = store.remove(ticketKey(ticket) + ".challenge");
    return usable(
        data,
        realmId,
        Optional.ofNullable(challenge)
            .map(c -> c.get("challenge"))
            .map(Base64.getUrlDecoder()::decode));
  }

  /** Whether the registration is still pending: not cancelled, completed or expired. */
  public boolean stillPending(Ticket taken) {
    return find(taken.registrationId())
        .map(record -> PENDING.equals(record.effectiveStatus(Instant.now())))
        .orElse(false);
  }

  private Optional<Ticket> usable(
      Map<String, String> data, String realmId, Optional<byte[]> challenge) {
    if (data == null || !realmId.equals(data.get("realm"))) {
      return Optional.empty();
    }
    Ticket ticket = ticketFrom(data, challenge);
    return secondsLeft(ticket) > 0 && stillPending(ticket) ? Optional.of(ticket) : Optional.empty();
  }

  private static long secondsLeft(Ticket ticket) {
    return ticket.expiresAt().getEpochSecond() - Instant.now().getEpochSecond();
  }

  /**
   * Puts a taken ticket back after an attempt that saved nothing (a refused or unreadable
   * response), for its remaining lifetime, without its spent challenge.
   */
  public void giveBack(String ticket, Ticket taken) {
    long left = secondsLeft(taken);
    if (left <= 0) {
      return;
    }
    Map<String, String> data = new HashMap<>();
    data.put("registration", taken.registrationId());
    data.put("realm", taken.realmId());
    data.put("user", taken.userId());
    data.put("expires", Long.toString(taken.expiresAt().getEpochSecond()));
    taken.name().ifPresent(n -> data.put("name", n));
    taken.clientId().ifPresent(c -> data.put("client", c));
    store.put(ticketKey(ticket), left, data);
    if (!stillPending(taken)) {
      store.remove(ticketKey(ticket)); // cancelled meanwhile: the cancellation wins
    }
  }

  public void completed(Ticket taken, String passkeyId) {
    find(taken.registrationId())
        .filter(record -> PENDING.equals(record.status()))
        .ifPresent(
            record ->
                update(
                    new Record(
                        record.id(),
                        record.userId(),
                        COMPLETED,
                        record.createdAt(),
                        record.expiresAt(),
                        Optional.of(Instant.now()),
                        Optional.of(passkeyId),
                        record.clientId())));
  }

  /**
   * Cancels a pending registration; its ticket stops working at once. The ticket is found through
   * the record (which keeps the ticket's key, not the ticket).
   */
  public Optional<Record> cancel(String id) {
    Optional<Record> found = find(id);
    found
        .filter(record -> PENDING.equals(record.effectiveStatus(Instant.now())))
        .ifPresent(
            record -> {
              // The record first: an attempt that took the ticket meanwhile sees "cancelled" and
              // neither saves its passkey nor puts the ticket back.
              Map<String, String> data = store.get(RECORD_PREFIX + id);
              update(
                  new Record(
                      record.id(),
                      record.userId(),
                      CANCELLED,
                      record.createdAt(),
                      record.expiresAt(),
                      Optional.empty(),
                      Optional.empty(),
                      record.clientId()));
              if (data != null && data.get("ticketKey") != null) {
                store.remove(data.get("ticketKey"));
                store.remove(data.get("ticketKey") + ".challenge");
              }
            });
    return find(id);
  }

  private void update(Record record) {
    Map<String, String> previous = store.get(RECORD_PREFIX + record.id());
    Map<String, String> data = toMap(record);
    if (previous != null && previous.get("ticketKey") != null) {
      data.put("ticketKey", previous.get("ticketKey"));
    }
    long left =
        record.expiresAt().getEpochSecond()
            + RECORD_RETENTION_SECONDS
            - Instant.now().getEpochSecond();
    store.put(RECORD_PREFIX + record.id(), Math.max(left, 60), data);
  }

  private static boolean wellFormed(String ticket) {
    return ticket != null && ticket.matches("[A-Za-z0-9_-]{43}");
  }

  private static String ticketKey(String ticket) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII));
      return TICKET_PREFIX + B64.encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Ticket ticketFrom(Map<String, String> data, Optional<byte[]> challenge) {
    return new Ticket(
        data.get("registration"),
        data.get("realm"),
        data.get("user"),
        Optional.ofNullable(data.get("name")),
        Optional.ofNullable(data.get("client")),
        challenge,
        Instant.ofEpochSecond(Long.parseLong(data.get("expires"))));
  }

  private static Map<String, String> toMap(Record record) {
    Map<String, String> data = new HashMap<>();
    data.put("user", record.userId());
    data.put("status", record.status());
    data.put("created", Long.toString(record.createdAt().toEpochMilli()));
    data.put("expires", Long.toString(record.expiresAt().toEpochMilli()));
    record.completedAt().ifPresent(t -> data.put("completed", Long.toString(t.toEpochMilli())));
    record.passkeyId().ifPresent(p -> data.put("passkey", p));
    record.clientId().ifPresent(c -> data.put("client", c));
    return data;
  }

  private static Record fromMap(String id, Map<String, String> data) {
    return new Record(
        id,
        data.get("user"),
        data.get("status"),
        Instant.ofEpochMilli(Long.parseLong(data.get("created"))),
        Instant.ofEpochMilli(Long.parseLong(data.get("expires"))),
        Optional.ofNullable(data.get("completed")).map(Long::parseLong).map(Instant::ofEpochMilli),
        Optional.ofNullable(data.get("passkey")),
        Optional.ofNullable(data.get("client")));
  }
}
