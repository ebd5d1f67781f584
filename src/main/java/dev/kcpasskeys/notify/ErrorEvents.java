package dev.kcpasskeys.notify;

import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;

/**
 * Error events sent while the database may be down. Keycloak stores an error event at once, in a
 * transaction of its own ({@link EventBuilder#error}); with the database unreachable that commit
 * throws, and a lost event must not turn a clear "try again in a moment" into a 500.
 *
 * <p>The trade-off: such an event is missing from the realm's stored events (admin console, admin
 * events API). Keycloak hands it to the event listeners (for example {@code jboss-logging}) before
 * the failed commit, and we log it here with its details, so the server log still has it.
 */
public final class ErrorEvents {

  private static final Logger LOG = Logger.getLogger(ErrorEvents.class);

  private ErrorEvents() {}

  /**
   * {@code event.error(error)}; when the event store cannot be written, a warning in the log
   * instead.
   */
  public static void sendOrLog(EventBuilder event, String error) {
    try {
      event.error(error);
    } catch (RuntimeException storeFailed) {
      Event e = event.getEvent();
      LOG.warnf(
          "Event %s (error %s, realm %s, user %s, client %s, details %s) could not be stored: %s",
          e.getType(),
          error,
          e.getRealmName(),
          e.getUserId(),
          e.getClientId(),
          LogText.of(e.getDetails()),
          storeFailed.toString());
    }
  }
}
