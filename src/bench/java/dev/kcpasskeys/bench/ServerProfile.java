package dev.kcpasskeys.bench;

import java.nio.file.Path;

/**
 * A JDK Flight Recorder recording of Keycloak over the measured rounds only (not the import or
 * the warm-up), started and stopped through {@code jcmd}; {@link ProfileBreakdown} splits it by way.
 */
final class ServerProfile {

  private static final String NAME = "passkeys-bench";

  private final long pid;
  private final Path file;

  private ServerProfile(long pid, Path file) {
    this.pid = pid;
    this.file = file;
  }

  /** Starts recording with the JDK's "profile" settings (a CPU sample of each running thread every 10 ms). */
  static ServerProfile start(long pid, Path file) {
    HeapProbe.run(pid, "JFR.start", "name=" + NAME, "settings=profile", "filename=" + file.toAbsolutePath());
    return new ServerProfile(pid, file.toAbsolutePath());
  }

  /** Stops the recording; Keycloak writes it to the file. */
  Path stop() {
    HeapProbe.run(pid, "JFR.stop", "name=" + NAME);
    return file;
  }
}
