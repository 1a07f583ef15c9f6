package dev.mailgate.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * Fixed keys for tests, so that signatures are reproducible. The 1024-bit RSA key and the first Ed25519
 * seed are RFC 8463 Appendix A.1's; the others were generated for these tests (openssl genpkey) and
 * sign nothing real.
 */
final class TestKeys {
  private TestKeys() {}

  private static final String RSA_1024_RFC8463 =
      "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAOQeU5CgFPNZGIazlXo2k/eJ1jpaTTxrmqF1HrDLlt"
      + "04pvaMtCJj8nXoliLRC/H9vJjMI1vdb3XLcW60AIN/PBD8EL97/y4GwJH7LPUvGP48vqUe+owqszesbiGy1PlCO8c7"
      + "0/OjFnJVgvMF87YR4Lcincb7aSvI5MgpP6X8rjDdAgMBAAECgYAfRzE6EVkODNdaEOGcAkPDmziug5c3g6GOJdrxbt"
      + "jeuFfcUmqYlI+4Lw329CbpJVtosAThIbmYsy54eWHgpd98Sm4sSI2n1Kzc7hh8uJCltGoTtOblLEqO+9Chll7MeiuK"
      + "Y5oKFEvaK3juK5bHPFKJEy/hz6PvQaJZ3FefF7hSgQJBAPMkH/RTnxbtFnLp6cZWPaRYXvfYKhYVlbOLUWJy52sEWj"
      + "LrdDByjCmgJrMq29kYw2U9acLvH/qjwZy5J7SBrbECQQDwLs+Kk+bX/V9NFC+PWj90OZmnbjfTjhk3LGOD78483ShY"
      + "JtcgbHJa+ZlteuI5ahIAslOMTESCtocSCdeyy6TtAkEAuXkgKxgy7qEzE7veCd81rI2A/F1YVXpntQucrJXsdJVgXS"
      + "GBg4eN5h72Boy2IliijTMY34vcAC00/2G6qRaXMQJATVqWJwh5WWjV76onoyCqvRDsBrt9qVnjjxxxtIVgQ8PqgXGI"
      + "6X1j2x72Jgdkop8hyy2jsNTDX+HPYKTg3kmuBQJBALIq942+POSR3weNizRLAzR8+MrXr//moNnZSIMac564TPEEMC"
      + "vnXxnxUVtHjWKfdbhjfIIOBCUuVwROtL7Nhws=";

  private static final String RSA_2048 =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCkfS2yStEsa+7pOr5ho1DBt5y9HNJtUt8yCwl1/S"
      + "dck0daufEf5ze+62VH4+JezKGFfLhCAD9OT3JEP8FNgPDxZJd5GzewlxZeGiS+GInikqXUJXvYhiRuFIryUYxQKR+/"
      + "UwfmCaHuqhUtLzu/HvGJ9gilwMRo0aQHUvNuuF81o1ywPX1dkTsPp4IcDUMYvQk/maT90g6oQYNzNqHPolcB4manMV"
      + "swXzYZhe6B1xXu30dJR82O6RCQiRf2m6rlzcR7NsAyFOLV+YZMWPja9NXrp3yx+TA8yX7egFXQS4Sym5CGjKWtLm9q"
      + "Gzzrg045l0ZvMhdr9wnEQ1gOvQecNvNrAgMBAAECggEAQfRHbGP/d1ZX14DMcY3whZw/5rw1y8wc3o36XysAq2gKhm"
      + "BkRKyLd6wfUjIXxHc8lK+rmhtLRvUoFiGSOqdm9QOmkNLPA6mxOE43SVnBf+3ZPDVDcVBoLxNhm0QDhOjYZ/i9BAn8"
      + "uhvMne+Af2PC6dSTJxMiLf1RTfZ+0XhwBKs1mWRcdlA/lAZx+89G2appOUkyfp/3H/Lfz1cUdJpoxVVt51YbLYqdqu"
      + "l9NCync7BEUW9a/4LGWrPDubdjmyglD8Dv88xz3BqMt9FCkZL5qmhkQy2uvSpyYNbO0O2QB9AC8IW4hUy5W+j/4LUP"
      + "YcalFvdejYQZl1mI9AvJIIf1MQKBgQDRLMu7LheIzpZW0Zmx62yIBFKNknwx75dWEq6FaT9vDtJVIEDozzDnDSrjeB"
      + "vfSlIIcnAV1VihZS8rdDbpe3Kv2kdYxUPundnnj9+53MyguEnJLaKbRWJSmU6VSjl3zLFJlbMzKCbywEhydT5AyZu/"
      + "TKJgMKaPod7HHDCiA4SsDQKBgQDJT48VViTnMIFlkJ7Vp22B/o+/1yy75EUYwszaN0j/mwNBZEvwRN9oCATYSRg20J"
      + "aZA5S/PLuIvMdNgXKOiZdNrcFxtJdc18BzyjrB1s3KQlRDs9w0LmUNufNFMVS8FauDCy9wgLsLfobJMsme4I+KCrpe"
      + "8PAKQ0BXsCjIiHSnVwKBgCzc1rVGpXWKGWR1f+lQ/O4PP0Vt7YUoReUIDLZAZIKFQ0dOq51DEtH7WP+AezngzsdRBA"
      + "kqwN+cvAkt27kn6Okef77iUDeVU27+xJUwbhLqc6jaSM3Ui8n7Z4dNbBXtqPiHSu/l5LSb2O3zh26NzwGwhgLrbE3S"
      + "Ad3iheu5pXLhAoGAK4ExB8hlEz1NSXi2iq+zH7u2rxu+RCCxugcnJCV8dhi23GPjcVpA+Yd6HI+3Vuk/EnROqgFi+c"
      + "rqO1q1Og6MDzJ0srD3YQ4TPjK+/fMA6Cvrb/InrXM1TYEZDKP7juYT+a7qIqL/SR2f3U1HezlGa+ujmS7ygRVFi227"
      + "cpLiuuMCgYEApqSVP1CIzJSxwoiONpgqT4iMY+eZyCnduAQdrCzT9NlQSuFgRDLF0cw5cvGYu1cK67YT0H/uwEu4Cf"
      + "ifMQrRi/TQRQOD3allaGE+z13q3jiGfGnB4IMorLGB8UG3TRgiPKKxEvd0UY+4YLABAxVNUaGjZc7sMmpLdI7KG4E4"
      + "gS4=";

  private static final String RSA_1024_OTHER =
      "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMP1vE7BmmwCrHt4hBlxj+OzHpE0zstDCMjhKlVeTK"
      + "3caCHQ9/cS9jYB1f57w4PDFB+x9WxXJ2ekpRE/B6Ktojf5KrHnFkmv5j6u9QN/W9zkzLIZ9dMFa3PpJIeteveDVF9L"
      + "rohrne/MG5XInOx892nUHsFyGfqweD/G7Q3NFFDjAgMBAAECgYBa3Xas+j8VuIOsWSy/85WqGuOgp2EAhZvsMeSEY0"
      + "6hC+PJUnG4wrUiQ+WrtE3rqiiJreZEj4E5IPJdteFfgK4H/1Wng4wpq0prdvrt6KrayyImYMCdTX5xZBfxc5BTKkHq"
      + "8K3KW8lu4AkYc3RCvO1cp5BlzZtew2RqeiHwDQdIgQJBAPrwbe3RfwJ+Xj6A2f2cb8EOW2IzR94pWM7JH/eDsZpT6U"
      + "hx2TRJ5eK/zw6XW0qsCluAAU7hm8QF40PejrLvsyMCQQDH6XRTi0qLAEEAWdZ3JvizqUypBrgna6EVcWd+9VrMCf7S"
      + "zP0tIwnfuLlEy10KkMYx/fTlzppkL3VQ+Mth9KdBAkEAxX+NRWtoxxGmIxNOfmgtHIisK7GokpWAK9/npOqlUY1RQY"
      + "85IAo5QCkuUZGWbELTNAie/vJZogHwSG5VaUd2eQJBAKMUKJb2bArUXDJDFxcALaWyGB1So+tUe4WYi0sgL79+7+da"
      + "3bVyfd2JPWmHVBEIZQXnG15UmdHcfSFes9rmz4ECQG41eTQeZCeBJXT8X98resovmxPPkplT0KS8j6uwwrKrOKf/fo"
      + "C0XnSRhynGVu+K+419l5X2OzUALyKFkE5e2Q0=";

  private static final String RSA_512 =
      "MIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEAno/1lp9u2DT54nkGAVb7sGjWx2OPE80SeRKoiReGsc"
      + "MmWl9OVvRLqS4F2oCV8DBdRoIdZG6cOjxFhSbj43bdbwIDAQABAkEAmlfFFb3RlrFSf8mQN+OkkR4r2uAlWH/ouGOa"
      + "HAADg6nKwwa5T1lVj+l97uS5SAflWETPjnPz2bD6EHm/8dhGGQIhAMmU8pF1yo8FM3CZIezz87+Pm/vNZyzVKvS0I4"
      + "FyvlxbAiEAyV3+BboT+paBzhTkKs5hN4oQuL7sjhNQ384c0jUaX30CIH7UWjIvHH0T1qOXlYLSkqAKKSgquim5DUfd"
      + "NyGxIhhVAiAZ5H8kZ1/oSfAY+rC4HF99z8AEsXAjeLJehNdJ5FAm1QIgOB0j3R5yy6GtfDnjIZmg7dAMLoY4kZELGa"
      + "xOCW6IzK8=";

  /** RFC 8463 A.1 (= RFC 8032 section 7.1 TEST 1). */
  static final String ED25519_SEED_RFC8463 = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
  /** Bytes 101..132: an arbitrary second seed. */
  static final String ED25519_SEED_OTHER = "ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ent8fX5/gIGCg4Q=";

  static KeyPair rsa1024() {
    return rsa(RSA_1024_RFC8463);
  }

  static KeyPair rsa1024Other() {
    return rsa(RSA_1024_OTHER);
  }

  static KeyPair rsa2048() {
    return rsa(RSA_2048);
  }

  static KeyPair rsa512() {
    return rsa(RSA_512);
  }

  static KeyPair ed25519() {
    return ed25519(ED25519_SEED_RFC8463);
  }

  static KeyPair ed25519Other() {
    return ed25519(ED25519_SEED_OTHER);
  }

  static KeyPair rsa(String pkcs8) {
    try {
      KeyFactory kf = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey priv = (RSAPrivateCrtKey) kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
      PublicKey pub = kf.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
      return new KeyPair(pub, priv);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ed25519(String seedBase64) {
    try {
      PrivateKey priv = DkimKeys.ed25519PrivateKey(Base64.getDecoder().decode(seedBase64));
      return new KeyPair(ed25519PublicFromSeed(priv), priv);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JDK derives no public key from a private one; sign-and-recover is not possible, so compute it. */
  private static PublicKey ed25519PublicFromSeed(PrivateKey priv) throws GeneralSecurityException {
    // KeyPairGenerator with a SecureRandom that returns the seed yields the same pair.
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
    byte[] seed = ((java.security.interfaces.EdECPrivateKey) priv).getBytes().orElseThrow();
    g.initialize(255, new FixedRandom(seed));
    return g.generateKeyPair().getPublic();
  }

  /** Returns the given bytes once: feeds a known seed to KeyPairGenerator. */
  private static final class FixedRandom extends java.security.SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}
