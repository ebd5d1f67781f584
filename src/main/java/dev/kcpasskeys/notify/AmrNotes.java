package dev.kcpasskeys.notify;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * RFC 8176 authentication method references, collected per user session so the ID token can tell
 * the app how the user signed in (see {@code PasskeyAmrMapper}).
 */
public final class AmrNotes {

  public static final String NOTE = "passkeys.amr";

  private AmrNotes() {}

  /**
   * A passkey proves possession of a key ({@code hwk} for device-bound, {@code swk} for synced,
   * which lives in software-backed password managers) after a user presence test ({@code user});
   * with user verification on the authenticator that is two factors ({@code mfa}).
   */
  public static List<String> forPasskey(boolean synced, boolean userVerified) {
    return userVerified
        ? List.of(synced ? "swk" : "hwk", "user", "mfa")
        : List.of(synced ? "swk" : "hwk", "user");
  }

  public static void add(AuthenticationSessionModel authSession, List<String> values) {
    Set<String> all = new LinkedHashSet<>(parse(authSession.getUserSessionNotes().get(NOTE)));
    all.addAll(values);
    authSession.setUserSessionNote(NOTE, String.join(" ", all));
  }

  public static List<String> parse(String note) {
    if (note == null || note.isBlank()) {
      return List.of();
    }
    return List.of(note.trim().split("\\s+"));
  }
}
