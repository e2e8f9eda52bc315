package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenSourceTest {

  @Test
  void refreshesAMinuteBeforeExpiryButNeverMoreThanAQuarterOfTheLifeLeft() {
    assertEquals(3_540_000, TokenSource.refreshDelay(3_600_000, 0, 60_000), "an hour-long token: at 59 min");
    assertEquals(45_000, TokenSource.refreshDelay(60_000, 0, 60_000), "a minute-long token: at 45 s");
    assertEquals(0, TokenSource.refreshDelay(1_000, 2_000, 60_000), "an expired token: now");
  }

  @Test
  void readsTheExpiryOfAJwtAndNothingElse() {
    long now = System.currentTimeMillis() / 1000;
    String token = Tokens.token("ada", 100);
    long exp = Jwt.expiryMillis(token);
    assertEquals(true, Math.abs(exp - (now + 100) * 1000) <= 1000, "exp " + exp);
    assertEquals(-1, Jwt.expiryMillis("not-a-jwt"));
    assertEquals(-1, Jwt.expiryMillis("a.%%%.c"));
  }
}
