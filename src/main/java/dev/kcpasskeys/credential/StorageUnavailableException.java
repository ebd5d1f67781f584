package dev.kcpasskeys.credential;

/**
 * Passkey storage could not be read or written right now, typically because the database is
 * unreachable. Thrown only by work that {@link PasskeyStore} runs in a transaction of its own,
 * which has been rolled back: nothing was saved, and the request's own transaction is untouched, so
 * the caller can still answer with a clear "try again in a moment".
 */
public final class StorageUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StorageUnavailableException(RuntimeException cause) {
    super("passkey storage unavailable: " + cause, cause);
  }

  /**
   * Whether a failure of Keycloak's own storage code is the database being unreachable (a JDBC or
   * JPA error anywhere in its causes), as opposed to a bug or a conflict: then the user can be told
   * to try again in a moment.
   */
  public static boolean isDatabaseDown(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StorageUnavailableException
          || t instanceof java.sql.SQLException
          || t instanceof jakarta.persistence.PersistenceException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The innermost cause, for the log: the database's own words rather than "Database operation
   * failed".
   */
  public String reason() {
    Throwable root = getCause();
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
