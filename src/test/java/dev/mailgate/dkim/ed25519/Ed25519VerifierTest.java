package dev.mailgate.dkim.ed25519;

import static dev.mailgate.dkim.ed25519.Reference.L;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Agreement with the JDK's Ed25519 (what mailgate used before, and what other verifiers such as
 * OpenSSL accept), on JDK-made signatures and on the edge cases where Ed25519 verifiers are known to
 * differ: S >= L, non-canonical encodings, small-order and mixed-order points.
 */
class Ed25519VerifierTest {
  private static final HexFormat HEX = HexFormat.of();
  // RFC 8032 7.1 TEST 2
  private static final byte[] PK = HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  private static final byte[] MSG = {0x72};
  private static final byte[] SIG = HEX.parseHex(
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
          + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

  private static boolean ours(byte[] pk, byte[] msg, byte[] sig) {
    boolean direct = Ed25519Verifier.verify(pk, msg, sig);
    boolean viaDecoded = Ed25519Verifier.decode(pk).map(k -> Ed25519Verifier.verify(k, msg, sig)).orElse(false);
    assertThat(viaDecoded).as("decoded-key path agrees").isEqualTo(direct);
    return direct;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] rawPublicKey(KeyPair kp) {
    byte[] spki = kp.getPublic().getEncoded(); // 12-byte SubjectPublicKeyInfo prefix, then the key
    return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
  }

  @Test
  void property_jdkSignaturesVerifyAndTamperedOnesAgreeWithTheJdk() throws Exception {
    SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
    seeded.setSeed(8463); // fixed: the same 2,000 keys every run
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("Ed25519");
    kpg.initialize(NamedParameterSpec.ED25519, seeded);
    Signature signer = Signature.getInstance("Ed25519");
    Random r = new Random(8032);
    int[] tamperedAccepted = new int[3];
    for (int i = 0; i < 2000; i++) {
      KeyPair kp = kpg.generateKeyPair();
      byte[] pk = rawPublicKey(kp);
      byte[] msg = new byte[i % 3 == 0 ? 32 : r.nextInt(300)]; // 32: a DKIM header hash
      r.nextBytes(msg);
      signer.initSign(kp.getPrivate());
      signer.update(msg);
      byte[] sig = signer.sign();
      assertThat(ours(pk, msg, sig)).as("key %d", i).isTrue();

      int what = i % 3;
      byte[] tPk = pk.clone();
      byte[] tMsg = msg.clone();
      byte[] tSig = sig.clone();
      byte[] target = what == 0 ? tMsg : what == 1 ? tSig : tPk;
      if (target.length == 0) {
        tMsg = new byte[] {(byte) r.nextInt()};
      } else {
        target[r.nextInt(target.length)] ^= (byte) (1 + r.nextInt(255));
      }
      boolean jdk = Reference.jdkVerify(tPk, tMsg, tSig);
      assertThat(ours(tPk, tMsg, tSig)).as("tampered %s of key %d", new String[] {"M", "sig", "A"}[what], i)
          .isEqualTo(jdk);
      if (jdk) {
        tamperedAccepted[what]++;
      }
    }
    assertThat(tamperedAccepted).containsExactly(0, 0, 0); // and the JDK agreed on each
  }

  @Test
  void rfc8032_5_1_7_sPlusLIsRejectedThoughTheEquationHolds() {
    BigInteger s = Reference.fromLe(Arrays.copyOfRange(SIG, 32, 64));
    BigInteger sPlusL = s.add(L);
    assertThat(sPlusL.bitLength()).isLessThanOrEqualTo(256);
    byte[] malleated = concat(Arrays.copyOf(SIG, 32), Reference.le32(sPlusL));
    // [S + L]B = [S]B, so without the range check this would verify
    assertThat(Reference.mul(sPlusL, Reference.B)).isEqualTo(Reference.mul(s, Reference.B));
    assertThat(ours(PK, MSG, malleated)).isFalse();
    assertThat(Reference.jdkVerify(PK, MSG, malleated)).isFalse();
    // every S of the form S + nL that fits in 256 bits
    for (BigInteger t = sPlusL.add(L); t.bitLength() <= 256; t = t.add(L)) {
      byte[] sig = concat(Arrays.copyOf(SIG, 32), Reference.le32(t));
      assertThat(ours(PK, MSG, sig)).isFalse();
      assertThat(Reference.jdkVerify(PK, MSG, sig)).isFalse();
    }
    // S = L, S = 2^256 - 1
    for (BigInteger bad : List.of(L, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))) {
      byte[] sig = concat(Arrays.copyOf(SIG, 32), Reference.le32(bad));
      assertThat(ours(PK, MSG, sig)).isFalse();
      assertThat(Reference.jdkVerify(PK, MSG, sig)).isFalse();
    }
  }

  private static final byte[] IDENTITY = Reference.encode(Reference.IDENTITY);
  private static final byte[] ZERO32 = new byte[32];

  /** A signature (R, S = 0): verifies exactly when R = -[k]A, i.e. forgeable for a small-order A. */
  private static byte[] sZero(byte[] r) {
    return concat(r, ZERO32);
  }

  /** y = p + k (non-canonical, top bit as given). */
  private static byte[] nonCanonical(int k, boolean signBit) {
    byte[] b = Reference.le32(Reference.P.add(BigInteger.valueOf(k)));
    if (signBit) {
      b[31] |= (byte) 0x80;
    }
    return b;
  }

  @Test
  void rfc8032_5_1_3_nonCanonicalPublicKeysAreRejected() {
    // The identity as a key accepts (R = identity, S = 0) for every message (cofactorless, as the
    // JDK): shown first so that the rejections below are not an accident of the signature.
    assertThat(ours(IDENTITY, MSG, sZero(IDENTITY))).isTrue();
    assertThat(Reference.jdkVerify(IDENTITY, MSG, sZero(IDENTITY))).isTrue();
    for (int k = 0; k < 19; k++) {
      for (boolean sign : new boolean[] {false, true}) {
        byte[] a = nonCanonical(k, sign);
        assertThat(Ed25519Verifier.decode(a)).as("y = p + %d", k).isEmpty();
        for (byte[] r : List.of(IDENTITY, nonCanonical(1, false), ZERO32)) {
          assertThat(ours(a, MSG, sZero(r))).isFalse();
          assertThat(Reference.jdkVerify(a, MSG, sZero(r))).isFalse();
        }
      }
    }
    // y = 1 + p is the identity again: rejected although the reduced key accepts this signature.
    assertThat(ours(nonCanonical(1, false), MSG, sZero(IDENTITY))).isFalse();
  }

  @Test
  void rfc8032_5_1_3_xZeroWithTheSignBitSetIsRejected() {
    // (0, 1) and (0, -1) are the points with x = 0; their encodings with the sign bit are invalid.
    byte[] identityNeg = IDENTITY.clone();
    identityNeg[31] |= (byte) 0x80;
    byte[] minusOneNeg = Reference.le32(Reference.P.subtract(BigInteger.ONE));
    minusOneNeg[31] |= (byte) 0x80;
    for (byte[] a : List.of(identityNeg, minusOneNeg)) {
      assertThat(Ed25519Verifier.decode(a)).isEmpty();
      assertThat(ours(a, MSG, sZero(IDENTITY))).isFalse();
      assertThat(Reference.jdkVerify(a, MSG, sZero(IDENTITY))).isFalse();
    }
    // ... and as R: the signature that verifies with R = identity fails with R = identity | sign bit
    assertThat(ours(IDENTITY, MSG, sZero(identityNeg))).isFalse();
    assertThat(Reference.jdkVerify(IDENTITY, MSG, sZero(identityNeg))).isFalse();
  }

  @Test
  void nonCanonicalROrAnRThatIsNoPointIsRejected() {
    // With A = identity and S = 0, [S]B - [k]A is the identity for every message: only the
    // canonical encoding of the identity may stand as R.
    assertThat(ours(IDENTITY, MSG, sZero(IDENTITY))).isTrue();
    for (byte[] r : List.of(nonCanonical(1, false), nonCanonical(1, true))) {
      assertThat(ours(IDENTITY, MSG, sZero(r))).isFalse();
      assertThat(Reference.jdkVerify(IDENTITY, MSG, sZero(r))).isFalse();
    }
    // A valid signature with R replaced by bytes that are not a point
    byte[] notAPoint = Arrays.copyOf(SIG, 32);
    for (int v = 0; Reference.decode(notAPoint) != null; v++) {
      notAPoint[0] = (byte) v;
    }
    byte[] sig = concat(notAPoint, Arrays.copyOfRange(SIG, 32, 64));
    assertThat(ours(PK, MSG, sig)).isFalse();
    assertThat(Reference.jdkVerify(PK, MSG, sig)).isFalse();
  }

  @Test
  void smallOrderPointsAsKeyAndAsRAgreeWithTheJdk() {
    List<Reference.Pt> small = Reference.smallOrderPoints();
    List<byte[]> encodings = new ArrayList<>();
    for (Reference.Pt p : small) {
      encodings.add(Reference.encode(p));
    }
    // The encodings are the well-known eight (as listed e.g. in libsodium's blocklist).
    assertThat(encodings.stream().map(HEX::formatHex)).containsExactlyInAnyOrder(
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa");
    int accepted = 0;
    int cases = 0;
    for (byte[] a : encodings) {
      assertThat(Ed25519Verifier.decode(a)).isPresent(); // valid encodings: accepted as keys, as the JDK does
      for (byte[] r : encodings) {
        for (int m = 0; m < 4; m++) {
          byte[] msg = {(byte) m};
          boolean jdk = Reference.jdkVerify(a, msg, sZero(r));
          assertThat(ours(a, msg, sZero(r))).as("A=%s R=%s m=%d", HEX.formatHex(a), HEX.formatHex(r), m)
              .isEqualTo(jdk);
          // the model: [0]B - [k]A = R exactly when R = -[k]A
          Reference.Pt expected = Reference.neg(Reference.mul(Reference.k(r, a, msg), Reference.decode(a)));
          assertThat(jdk).isEqualTo(Arrays.equals(Reference.encode(expected), r));
          accepted += jdk ? 1 : 0;
          cases++;
        }
      }
    }
    // Both verifiers accept some of these forgeries for small-order keys (the identity key with
    // R = identity accepts every message); keys of small order are not produced by honest signers.
    assertThat(accepted).isBetween(4, cases - 1);
  }

  @Test
  void mixedOrderKeyAgreesWithTheJdk() {
    // A = [a]B + T with T of order 8. An honest-looking signature (R = [r]B, S = r + k a) satisfies
    // the cofactored equation always, the cofactorless one only when [k]T = 0, i.e. 8 | k. Both
    // verifiers must accept exactly those.
    Random r = new Random(7);
    BigInteger a = new BigInteger(252, r);
    Reference.Pt t8 = Reference.smallOrderPoints().get(1);
    byte[] pk = Reference.encode(Reference.add(Reference.mul(a, Reference.B), t8));
    int accepted = 0;
    int n = 48;
    for (int i = 0; i < n; i++) {
      byte[] msg = ("message " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] sig = Reference.sign(a, pk, msg, r);
      boolean jdk = Reference.jdkVerify(pk, msg, sig);
      assertThat(ours(pk, msg, sig)).as("message %d", i).isEqualTo(jdk);
      BigInteger k = Reference.k(Arrays.copyOf(sig, 32), pk, msg);
      assertThat(jdk).isEqualTo(k.mod(BigInteger.valueOf(8)).signum() == 0);
      accepted += jdk ? 1 : 0;
    }
    assertThat(accepted).isBetween(1, n - 1); // both outcomes occurred
  }

  @Test
  void allZeroKeyAndSignature() {
    // A = 0...0 decodes (y = 0: a point of order 4), R = 0...0 likewise; with S = 0 the equation
    // holds for about one message in four. Whatever it is, it must be the JDK's answer.
    int accepted = 0;
    for (int m = 0; m < 16; m++) {
      byte[] msg = {(byte) m};
      byte[] zeroSig = new byte[64];
      boolean jdk = Reference.jdkVerify(ZERO32, msg, zeroSig);
      assertThat(ours(ZERO32, msg, zeroSig)).isEqualTo(jdk);
      accepted += jdk ? 1 : 0;
    }
    assertThat(accepted).isBetween(1, 15);
    // With a real key or a real signature, zeros never verify.
    assertThat(ours(PK, MSG, new byte[64])).isFalse();
    assertThat(Reference.jdkVerify(PK, MSG, new byte[64])).isFalse();
    assertThat(ours(ZERO32, MSG, SIG)).isFalse();
    assertThat(Reference.jdkVerify(ZERO32, MSG, SIG)).isFalse();
  }

  @Test
  void wrongLengthsAndNullsGiveFalseNotAnException() {
    assertThat(Ed25519Verifier.verify(PK, MSG, SIG)).isTrue();
    for (int len : new int[] {0, 1, 31, 33, 64}) {
      byte[] pk = Arrays.copyOf(PK, len);
      assertThat(Ed25519Verifier.verify(pk, MSG, SIG)).as("key of %d bytes", len).isFalse();
      assertThat(Ed25519Verifier.decode(pk)).isEmpty();
    }
    for (int len : new int[] {0, 1, 32, 63, 65, 66, 128}) {
      byte[] sig = Arrays.copyOf(SIG, len);
      assertThat(Ed25519Verifier.verify(PK, MSG, sig)).as("signature of %d bytes", len).isFalse();
      if (len != 65 || Runtime.version().feature() >= 19) {
        assertThat(Reference.jdkVerify(PK, MSG, sig)).as("JDK, signature of %d bytes", len).isFalse();
      }
      // Deliberate difference from JDK 17 (17.0.15 here): it splits any signature into halves, so
      // 65 bytes (a valid signature and a zero byte) pass as R and a 33-byte S. RFC 8032 section
      // 5.1.6 defines the signature as 64 bytes; JDK 19 and later reject it too (JDK-8285389,
      // "EdDSA trimming zeros"), so Java 21 agrees with this class.
    }
    Ed25519Verifier.DecodedKey key = Ed25519Verifier.decode(PK).orElseThrow();
    assertThat(Ed25519Verifier.verify(key, MSG, Arrays.copyOf(SIG, 63))).isFalse();
    assertThat(Ed25519Verifier.verify(key, MSG, null)).isFalse();
    assertThat(Ed25519Verifier.verify((Ed25519Verifier.DecodedKey) null, MSG, SIG)).isFalse();
    assertThat(Ed25519Verifier.verify((byte[]) null, MSG, SIG)).isFalse();
    assertThat(Ed25519Verifier.verify(PK, MSG, null)).isFalse();
    assertThat(Ed25519Verifier.decode(null)).isEmpty();
    // A signature over an empty range of a non-empty buffer is a signature over the empty message.
    assertThat(Ed25519Verifier.verify(PK, new byte[] {0x72, 0x72}, 1, 1, SIG)).isTrue();
    assertThat(Ed25519Verifier.verify(PK, new byte[] {0x72, 0x72}, 1, 0, SIG)).isFalse();
  }

  @Test
  void aRangeOutsideTheMessageIsACallerBug() {
    assertThatThrownBy(() -> Ed25519Verifier.verify(PK, MSG, 1, 1, SIG))
        .isInstanceOf(IndexOutOfBoundsException.class);
    Ed25519Verifier.DecodedKey key = Ed25519Verifier.decode(PK).orElseThrow();
    assertThatThrownBy(() -> Ed25519Verifier.verify(key, MSG, -1, 1, SIG))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void decodedKeyIsImmutable() {
    Ed25519Verifier.DecodedKey key = Ed25519Verifier.decode(PK).orElseThrow();
    key.encoded()[0] ^= 1;
    assertThat(key.encoded()).isEqualTo(PK);
    byte[] source = PK.clone();
    Ed25519Verifier.DecodedKey fromCopy = Ed25519Verifier.decode(source).orElseThrow();
    source[0] ^= 1; // the caller's array changing later does not change the key
    assertThat(Ed25519Verifier.verify(fromCopy, MSG, SIG)).isTrue();
    assertThat(key.toString()).isEqualTo("Ed25519 key " + HEX.formatHex(PK));
  }

  @Test
  void concurrentVerificationsShareNothing() throws Exception {
    Ed25519Verifier.DecodedKey key = Ed25519Verifier.decode(PK).orElseThrow();
    byte[] bad = SIG.clone();
    bad[5] ^= 1;
    List<Thread> threads = new ArrayList<>();
    boolean[] failed = new boolean[1];
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          if (!Ed25519Verifier.verify(key, MSG, SIG) || Ed25519Verifier.verify(key, MSG, bad)
              || !Ed25519Verifier.verify(PK, MSG, SIG)) {
            failed[0] = true;
          }
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(failed[0]).isFalse();
  }
}
