package dev.mailgate.bench;

import dev.mailgate.dkim.BodyCanonicalizer;
import dev.mailgate.dkim.BodyHasher;
import dev.mailgate.dkim.Canonicalization;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dkim.DkimVerifier;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;
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
 * DKIM verification throughput for a message signed with rsa-sha256 (2048-bit key), ed25519-sha256, or
 * both (relaxed/relaxed, so they share one body hash), against the floor of hashing the same body bytes
 * with plain SHA-256. The body-hash-only benchmarks show the canonicalization overhead directly: relaxed
 * and simple body hashing vs. sha256Floor. {@link DkimFloorReport} runs {@code verify} and divides by the
 * machine's floor from {@code openssl speed}. Run:
 *
 * <pre>
 * bench/jmh.sh DkimBenchmark -f 1 -wi 2 -i 3 -t 1
 * bench/dkim-floor.sh
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimBenchmark {

  /** Approximate message size in bytes: 5 KB, 50 KB, 1 MB. */
  @Param({"5120", "51200", "1048576"})
  public int size;

  /**
   * The body: "plain" is ordinary text (single spaces, lines up to 72 columns, a blank line between
   * paragraphs), which relaxed canonicalization leaves nearly as it is; "text" is whitespace-heavy text (a double space every tenth word, a TAB before
   * one line end in five, an empty line every eighth line), the hard case for relaxed
   * canonicalization; "base64" is an attachment-like part (76-character lines), the common bulk of
   * real mail.
   */
  @Param({"plain", "text", "base64"})
  public String body;

  /** The unsigned message, for the body-hash benchmarks. */
  private RawMessage message;

  @Setup
  public void setUp() {
    String text = body.equals("base64") ? base64(size) : body.equals("plain") ? plain(size) : text(size);
    message = RawMessage.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * The message signed with one rsa-sha256 (2048-bit) signature, one ed25519-sha256 signature, or both
   * (relaxed/relaxed: the two share one body hash). Only {@link #verify} uses it.
   */
  @State(Scope.Benchmark)
  public static class Signed {
    @Param({"rsa", "ed25519", "both"})
    public String signatures;

    RawMessage message;
    DkimVerifier verifier;
    int expected;

    @Setup
    public void setUp(DkimBenchmark bench) throws Exception {
      Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
      KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
      rsaGen.initialize(2048);
      KeyPair rsa = rsaGen.generateKeyPair();
      KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] bytes = bench.message.bytes();
      if (!signatures.equals("ed25519")) {
        bytes = DkimSigner.builder("example.org", "rsa", rsa.getPrivate()).clock(clock).build()
            .signAndPrepend(RawMessage.parse(bytes));
      }
      if (!signatures.equals("rsa")) {
        bytes = DkimSigner.builder("example.org", "ed", ed.getPrivate()).clock(clock).build()
            .signAndPrepend(RawMessage.parse(bytes));
      }
      message = RawMessage.parse(bytes);
      InMemoryResolver dns = InMemoryResolver.builder()
          .txt("rsa._domainkey.example.org", DkimKeys.keyRecord(rsa.getPublic()))
          .txt("ed._domainkey.example.org", DkimKeys.keyRecord(ed.getPublic()))
          .logQueries(false)
          .build();
      verifier = new DkimVerifier(dns, clock);
      expected = signatures.equals("both") ? 2 : 1;
      List<DkimResult> check = verifier.verify(message);
      if (check.size() != expected || !check.stream().allMatch(DkimResult::isPass)) {
        throw new IllegalStateException("benchmark message does not verify: " + check);
      }
    }
  }

  /** Ordinary text: paragraphs of single-spaced words, lines of at most 72 columns, blank lines between. */
  static String plain(int size) {
    Random rnd = new Random(42);
    String[] words = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "DKIM", "mail", "gateway",
        "signature", "relaxed", "canonicalization", "a", "of", "and", "meeting", "Tuesday", "thanks"};
    StringBuilder sb = new StringBuilder(size + 200);
    sb.append("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: benchmark\r\n")
        .append("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <bench@example.org>\r\n")
        .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    while (sb.length() < size) {
      int lines = 3 + rnd.nextInt(5);
      for (int l = 0; l < lines; l++) {
        int lineStart = sb.length();
        sb.append(words[rnd.nextInt(words.length)]);
        while (true) {
          String w = words[rnd.nextInt(words.length)];
          if (sb.length() - lineStart + 1 + w.length() > 72) {
            break;
          }
          sb.append(' ').append(w);
        }
        sb.append("\r\n");
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  /** A plausible text message: header, then lines of words with some doubled and trailing blanks. */
  static String text(int size) {
    Random rnd = new Random(42);
    String[] words = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "DKIM", "mail", "gateway",
        "signature", "relaxed", "canonicalization", "a", "of", "and"};
    StringBuilder sb = new StringBuilder(size + 200);
    sb.append("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: benchmark\r\n")
        .append("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <bench@example.org>\r\n")
        .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    while (sb.length() < size) {
      int lineStart = sb.length();
      while (sb.length() - lineStart < 60 + rnd.nextInt(16)) {
        sb.append(words[rnd.nextInt(words.length)]).append(rnd.nextInt(10) == 0 ? "  " : " ");
      }
      if (rnd.nextInt(5) == 0) {
        sb.append('\t');
      }
      sb.append("\r\n");
      if (rnd.nextInt(8) == 0) {
        sb.append("\r\n");
      }
    }
    return sb.toString();
  }

  /** A header, then base64 lines of 76 characters, as a MIME attachment carries them. */
  static String base64(int size) {
    Random rnd = new Random(42);
    byte[] raw = new byte[size * 3 / 4];
    rnd.nextBytes(raw);
    String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(raw);
    return "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: benchmark\r\n"
        + "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <bench@example.org>\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n" + b64.substring(0, Math.min(b64.length(), size - 300)) + "\r\n";
  }

  /** Parsing the signatures, fetching and parsing the keys (cached), body hash, header hash, checks. */
  @Benchmark
  public List<DkimResult> verify(Signed s) {
    return s.verifier.verify(s.message);
  }

  @Benchmark
  public byte[] bodyHashRelaxed() {
    return BodyHasher.hash(Canonicalization.RELAXED, sha256(), BodyHasher.NO_LIMIT,
        message.bytes(), message.bodyOffset(), message.bodyLength()).digest();
  }

  @Benchmark
  public byte[] bodyHashSimple() {
    return BodyHasher.hash(Canonicalization.SIMPLE, sha256(), BodyHasher.NO_LIMIT,
        message.bytes(), message.bodyOffset(), message.bodyLength()).digest();
  }

  /**
   * Relaxed body canonicalization alone, into a sink that only counts: the canonicalization share of
   * {@link #bodyHashRelaxed} without subtracting two noisy figures.
   */
  @Benchmark
  public long canonicalizeRelaxed() {
    long[] length = {0};
    BodyCanonicalizer c = Canonicalization.RELAXED.newBodyCanonicalizer((b, off, len) -> length[0] += len);
    c.update(message.bytes(), message.bodyOffset(), message.bodyLength());
    c.finish();
    return length[0];
  }

  /** The floor: SHA-256 over the same body bytes, no canonicalization. */
  @Benchmark
  public byte[] sha256Floor() {
    MessageDigest md = sha256();
    md.update(message.bytes(), message.bodyOffset(), message.bodyLength());
    return md.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
