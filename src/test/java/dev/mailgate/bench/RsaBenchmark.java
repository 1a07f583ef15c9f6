package dev.mailgate.bench;

import dev.mailgate.dkim.rsa.RsaVerifier;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One RSA-SHA256 verification of 600 bytes (a DKIM header hash input): the JDK's Signature as
 * SignatureAlgorithm used it before session 3 (a new Signature per check), {@code BigInteger.modPow}
 * alone, the 4096-by-2048-bit division it does to enter Montgomery form, and ours ({@link RsaVerifier},
 * the key's Montgomery constants cached). Compare with {@code openssl speed -seconds 2 rsa2048} taken
 * at the same time. bench/jmh.sh passes --add-opens=java.base/java.math=ALL-UNNAMED; without it
 * {@code ours} runs on modPow (setup prints which). Run:
 *
 * <pre>
 * bench/jmh.sh RsaBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RsaBenchmark {
  @Param({"2048"})
  public int bits;

  private RSAPublicKey publicKey;
  private RsaVerifier.Key key;
  private final byte[] data = new byte[600];
  private byte[] signature;
  private BigInteger s;
  private BigInteger n;
  private BigInteger e;

  @Setup
  public void setUp() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    KeyPair kp = g.generateKeyPair();
    publicKey = (RSAPublicKey) kp.getPublic();
    key = RsaVerifier.key(publicKey);
    new java.util.Random(1).nextBytes(data);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(kp.getPrivate());
    signer.update(data);
    signature = signer.sign();
    s = new BigInteger(1, signature);
    n = publicKey.getModulus();
    e = publicKey.getPublicExponent();
    if (!jdkSignature() || !ours()) {
      throw new IllegalStateException("the signature does not verify");
    }
    System.out.println("Montgomery intrinsics reachable: " + RsaVerifier.montgomeryIntrinsicsAvailable());
  }

  @Benchmark
  public boolean jdkSignature() throws Exception {
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(publicKey);
    v.update(data);
    return v.verify(signature);
  }

  @Benchmark
  public boolean ours() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(data);
    return RsaVerifier.verifySha256(key, md.digest(), signature);
  }

  @Benchmark
  public BigInteger modPow() {
    return s.modPow(e, n);
  }

  @Benchmark
  public BigInteger montgomeryEntryDivision() {
    return s.shiftLeft(n.bitLength() + 31 & ~31).mod(n);
  }
}
