package dev.mailgate.dkim.rsa;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RsaVerifierTest {
  private static final Random RANDOM = new Random(6376);

  private static KeyPair keyPair(int bits, BigInteger e) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(new RSAKeyGenParameterSpec(bits, e));
    return g.generateKeyPair();
  }

  private static boolean jdk(KeyPair kp, byte[] data, byte[] sig) {
    try {
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(kp.getPublic());
      v.update(data);
      return v.verify(sig);
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean ours(KeyPair kp, byte[] data, byte[] sig) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
    return RsaVerifier.verifySha256(RsaVerifier.key((RSAPublicKey) kp.getPublic()), hash, sig);
  }

  private static byte[] sign(KeyPair kp, byte[] data) throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(kp.getPrivate());
    s.update(data);
    return s.sign();
  }

  /**
   * Agreement with the JDK's SHA256withRSA on valid signatures and on tamperings of the data, of one
   * bit of the signature, and of the signature's value (0, 1, n - 1, n, n + 1), for key sizes with an
   * even and an odd number of 32-bit words, and exponents 3, 65537 and a large one.
   */
  @Test
  void agreesWithTheJdkOnSignaturesAndTheirTamperings() throws Exception {
    int[] sizes = {1024, 1056, 2048, 2056, 3072, 4096};
    BigInteger[] exponents = {BigInteger.valueOf(3), RSAKeyGenParameterSpec.F4, BigInteger.valueOf((1L << 33) + 17)};
    int valid = 0;
    int checks = 0;
    for (int bits : sizes) {
      for (BigInteger e : exponents) {
        KeyPair kp = keyPair(bits, e);
        BigInteger n = ((RSAPublicKey) kp.getPublic()).getModulus();
        int k = (bits + 7) / 8;
        for (int m = 0; m < 4; m++) {
          byte[] data = new byte[RANDOM.nextInt(400)];
          RANDOM.nextBytes(data);
          byte[] sig = sign(kp, data);
          byte[] otherData = data.clone();
          if (otherData.length > 0) {
            otherData[RANDOM.nextInt(otherData.length)] ^= 1;
          } else {
            otherData = new byte[] {0};
          }
          byte[] flipped = sig.clone();
          flipped[RANDOM.nextInt(flipped.length)] ^= (byte) (1 << RANDOM.nextInt(8));
          byte[][] sigs = {
            sig, flipped, fixed(BigInteger.ZERO, k), fixed(BigInteger.ONE, k),
            fixed(n.subtract(BigInteger.ONE), k), fixed(n, k), fixed(n.add(BigInteger.ONE), k), new byte[0]
          };
          for (byte[][] pair : new byte[][][] {{data}, {otherData}}) {
            for (byte[] s : sigs) {
              boolean expected = jdk(kp, pair[0], s);
              assertThat(ours(kp, pair[0], s)).as("%d bits, e=%s", bits, e).isEqualTo(expected);
              valid += expected ? 1 : 0;
              checks++;
            }
          }
        }
      }
    }
    assertThat(valid).isEqualTo(6 * 3 * 4); // exactly the untampered signatures
    assertThat(checks).isEqualTo(6 * 3 * 4 * 2 * 8);
  }

  /** RFC 8017 section 9.2 note 2: a DigestInfo without the NULL parameters verifies too (as the JDK's). */
  @Test
  void bothDigestInfoEncodingsVerifyAsTheJdkAccepts() throws Exception {
    KeyPair kp = keyPair(2048, RSAKeyGenParameterSpec.F4);
    byte[] data = "DKIM-Signature header hash input".getBytes();
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
    for (String prefix : new String[] {"3031300d060960864801650304020105000420", "302f300b06096086480165030402010420"}) {
      byte[] sig = rawSign(kp, emsa(HexFormat.of().parseHex(prefix), hash, 256));
      assertThat(jdk(kp, data, sig)).isTrue();
      assertThat(ours(kp, data, sig)).isTrue();
    }
    // Other DigestInfos (SHA-1's, a wrong length) are not SHA-256 signatures.
    byte[] sha1Info = HexFormat.of().parseHex("3021300906052b0e03021a05000414");
    byte[] sig = rawSign(kp, emsa(sha1Info, Arrays.copyOf(hash, 20), 256));
    assertThat(ours(kp, data, sig)).isFalse();
    // Padding with fewer than eight 0xff octets, or a 0x02 block type: rejected.
    byte[] em = emsa(HexFormat.of().parseHex("3031300d060960864801650304020105000420"), hash, 256);
    em[1] = 2;
    assertThat(ours(kp, data, rawSign(kp, em))).isFalse();
    assertThat(jdk(kp, data, rawSign(kp, em))).isFalse();
  }

  /**
   * RFC 8017 8.2.2 step 1: a signature one octet short (its leading zero octet dropped) or long is
   * rejected, as by the JDK and by OpenSSL, although it is the same integer.
   */
  @Test
  void aSignatureThatIsNotAsLongAsTheModulusIsRejected() throws Exception {
    KeyPair kp = keyPair(2048, RSAKeyGenParameterSpec.F4);
    for (int i = 0; ; i++) {
      byte[] data = ("message " + i).getBytes();
      byte[] sig = sign(kp, data);
      if (sig[0] != 0) {
        continue;
      }
      byte[] shorter = Arrays.copyOfRange(sig, 1, sig.length);
      byte[] longer = new byte[sig.length + 1];
      System.arraycopy(sig, 0, longer, 1, sig.length);
      assertThat(ours(kp, data, sig)).isTrue();
      for (byte[] s : new byte[][] {shorter, longer}) {
        assertThat(jdk(kp, data, s)).isFalse();
        assertThat(ours(kp, data, s)).isFalse();
      }
      return;
    }
  }

  /**
   * Keys the JDK's KeyFactory refuses never verify, even when handed in directly: with e = 1 the
   * encoded message itself would be a valid signature.
   */
  @Test
  void keysTheJdkRefusesVerifyNothing() throws Exception {
    KeyPair kp = keyPair(2048, RSAKeyGenParameterSpec.F4);
    BigInteger n = ((RSAPublicKey) kp.getPublic()).getModulus();
    byte[] hash = MessageDigest.getInstance("SHA-256").digest("x".getBytes());
    byte[] em = emsa(HexFormat.of().parseHex("3031300d060960864801650304020105000420"), hash, 256);
    assertThat(RsaVerifier.verifySha256(RsaVerifier.key(rsaKey(n, BigInteger.ONE)), hash, em)).isFalse();
    // e = 2 and e = n: also outside the JDK's range (2 is not even invertible), never a pass.
    for (BigInteger e : new BigInteger[] {BigInteger.TWO, n, n.add(BigInteger.TWO)}) {
      assertThat(RsaVerifier.verifySha256(RsaVerifier.key(rsaKey(n, e)), hash, em)).isFalse();
    }
    // The same forgery against a proper key fails as any bad signature does.
    assertThat(RsaVerifier.verifySha256(RsaVerifier.key((RSAPublicKey) kp.getPublic()), hash, em)).isFalse();
  }

  private static RSAPublicKey rsaKey(BigInteger n, BigInteger e) {
    return new RSAPublicKey() {
      @Override public BigInteger getModulus() { return n; }
      @Override public BigInteger getPublicExponent() { return e; }
      @Override public String getAlgorithm() { return "RSA"; }
      @Override public String getFormat() { return null; }
      @Override public byte[] getEncoded() { return null; }
    };
  }

  @Test
  void aHashThatIsNot32OctetsNeverVerifies() throws Exception {
    KeyPair kp = keyPair(2048, RSAKeyGenParameterSpec.F4);
    byte[] sig = sign(kp, new byte[0]);
    RsaVerifier.Key key = RsaVerifier.key((RSAPublicKey) kp.getPublic());
    assertThat(RsaVerifier.verifySha256(key, new byte[31], sig)).isFalse();
    assertThat(RsaVerifier.verifySha256(key, MessageDigest.getInstance("SHA-256").digest(new byte[0]), sig)).isTrue();
  }

  private static byte[] fixed(BigInteger v, int k) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[k];
    int n = Math.min(raw.length, k);
    System.arraycopy(raw, raw.length - n, out, k - n, n);
    return raw.length > k && raw[0] != 0 ? raw : out; // n + 1 may need k + 1 octets: kept whole
  }

  private static byte[] emsa(byte[] prefix, byte[] hash, int k) {
    byte[] em = new byte[k];
    em[1] = 1;
    int t = prefix.length + hash.length;
    Arrays.fill(em, 2, k - t - 1, (byte) 0xff);
    System.arraycopy(prefix, 0, em, k - t, prefix.length);
    System.arraycopy(hash, 0, em, k - hash.length, hash.length);
    return em;
  }

  private static byte[] rawSign(KeyPair kp, byte[] em) {
    RSAPrivateKey priv = (RSAPrivateKey) kp.getPrivate();
    BigInteger s = new BigInteger(1, em).modPow(priv.getPrivateExponent(), priv.getModulus());
    return fixed(s, (priv.getModulus().bitLength() + 7) / 8);
  }
}
