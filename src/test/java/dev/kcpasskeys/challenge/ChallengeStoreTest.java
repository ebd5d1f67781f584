package dev.kcpasskeys.challenge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.challenge.ChallengeStore.Ceremony;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What anonymous requests can make the extension keep (#20 item 2, decided: no per-address counters
 * of our own, see docs/security.md): one challenge per ceremony in the tab's own authentication
 * session, replaced when the page is drawn again, and one used-challenge marker per consumed
 * challenge, which expires with it. A response without a live challenge leaves nothing.
 */
class ChallengeStoreTest {

  private final Map<String, String> notes = new HashMap<>();
  private final Set<String> markers = new HashSet<>();
  private final Map<String, Long> lifespans = new HashMap<>();
  private final ChallengeStore store = new ChallengeStore(session(), authSession());

  @Test
  void aTabHoldsOneChallengePerCeremonyHoweverOftenThePageIsDrawn() {
    for (int i = 0; i < 1000; i++) {
      store.put(Ceremony.AUTHENTICATE, new byte[] {(byte) i, 1, 2, 3});
    }
    assertEquals(2, notes.size(), "the challenge and when it was issued: " + notes.keySet());
    assertTrue(markers.isEmpty(), "drawing the page leaves no marker");
  }

  @Test
  void aResponseWithoutALiveChallengeLeavesNothing() {
    assertEquals(Optional.empty(), store.consume(Ceremony.AUTHENTICATE, 60_000));
    assertTrue(markers.isEmpty());
    notes.put("passkeys.challenge.AUTHENTICATE", "AAAA");
    notes.put(
        "passkeys.challenge.AUTHENTICATE.issued",
        Long.toString(System.currentTimeMillis() - 120_000));
    assertEquals(Optional.empty(), store.consume(Ceremony.AUTHENTICATE, 60_000), "expired");
    assertTrue(
        markers.isEmpty() && notes.isEmpty(),
        "an expired challenge is dropped and leaves no marker");
  }

  @Test
  void aChallengeIsTakenOnceAndItsMarkerExpiresWithIt() {
    byte[] challenge = {9, 8, 7, 6};
    store.put(Ceremony.AUTHENTICATE, challenge);
    assertArrayEquals(challenge, store.consume(Ceremony.AUTHENTICATE, 60_000).orElseThrow());
    assertEquals(Optional.empty(), store.consume(Ceremony.AUTHENTICATE, 60_000), "taken once");
    assertEquals(1, markers.size());
    assertTrue(
        lifespans.values().stream().allMatch(seconds -> seconds <= 60 + 60),
        "expires with the challenge");
  }

  private AuthenticationSessionModel authSession() {
    return (AuthenticationSessionModel)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {AuthenticationSessionModel.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "setAuthNote" -> notes.put((String) args[0], (String) args[1]);
                  case "getAuthNote" -> notes.get((String) args[0]);
                  case "removeAuthNote" -> notes.remove((String) args[0]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private KeycloakSession session() {
    SingleUseObjectProvider singleUse =
        (SingleUseObjectProvider)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {SingleUseObjectProvider.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("putIfAbsent")) {
                    lifespans.put((String) args[0], (Long) args[1]);
                    return markers.add((String) args[0]);
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return (KeycloakSession)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {KeycloakSession.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getProvider")
                  && args.length == 1
                  && args[0] == SingleUseObjectProvider.class) {
                return singleUse;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
