package dev.mailgate.bench;

import dev.mailgate.dkim.ed25519.Ed25519Verifier;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One Ed25519 verification of a 32-byte message (what ed25519-sha256 DKIM signs: the SHA-256 of the
 * header hash input, RFC 8463 section 3): ours from the raw key, ours with a pre-decoded key (and the
 * cost of decoding it), and the JDK's Signature used as SignatureAlgorithm uses it (a new Signature per verification, the
 * PublicKey built once). Compare with {@code openssl speed -seconds 2 ed25519} taken at the same
 * time: the machine is shared. Run:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main Ed25519Benchmark -f 1 -wi 3 -i 5 -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Ed25519Benchmark {
  private byte[] rawKey;
  private Ed25519Verifier.DecodedKey decodedKey;
  private PublicKey jdkKey;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void setUp() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = kp.getPublic().getEncoded();
    rawKey = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    decodedKey = Ed25519Verifier.decode(rawKey).orElseThrow();
    jdkKey = kp.getPublic();
    message = MessageDigest.getInstance("SHA-256").digest("header hash input".getBytes());
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(kp.getPrivate());
    s.update(message);
    signature = s.sign();
    if (!ours() || !oursDecodedKey() || !jdk()) {
      throw new IllegalStateException("the signature does not verify");
    }
  }

  @Benchmark
  public boolean ours() {
    return Ed25519Verifier.verify(rawKey, message, signature);
  }

  @Benchmark
  public boolean oursDecodedKey() {
    return Ed25519Verifier.verify(decodedKey, message, signature);
  }

  /** The one-time cost of {@link Ed25519Verifier#decode}, which {@link #oursDecodedKey} saves. */
  @Benchmark
  public Object decode() {
    return Ed25519Verifier.decode(rawKey);
  }

  @Benchmark
  public boolean jdk() throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(jdkKey);
    s.update(message);
    return s.verify(signature);
  }
}
