package dev.mailgate.bench;

import dev.mailgate.dkim.Canonicalization;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dkim.DkimVerifier;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Checks that verification memory does not grow with the body: builds a message of about 30 MB,
 * signs it four ways (rsa-sha256 and ed25519-sha256; relaxed and simple bodies), then verifies it and
 * reports the peak heap used during verification next to the message size. Meant to run with a small
 * heap:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx128m -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mailgate.bench.DkimMemoryCheck [MB]
 * </pre>
 */
public final class DkimMemoryCheck {
  private DkimMemoryCheck() {}

  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    KeyPair rsa = rsaGen.generateKeyPair();
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    byte[] bytes = message(mb * 1024 * 1024);
    String[] fields = new String[4];
    RawMessage unsigned = RawMessage.parse(bytes);
    fields[0] = DkimSigner.builder("example.org", "rsa", rsa.getPrivate()).clock(clock).build().sign(unsigned);
    fields[1] = DkimSigner.builder("example.org", "ed", ed.getPrivate()).clock(clock).build().sign(unsigned);
    fields[2] = DkimSigner.builder("example.org", "rsa", rsa.getPrivate()).clock(clock)
        .canonicalization(Canonicalization.RELAXED, Canonicalization.SIMPLE).build().sign(unsigned);
    fields[3] = DkimSigner.builder("example.org", "ed", ed.getPrivate()).clock(clock)
        .canonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE).build().sign(unsigned);
    unsigned = null;
    RawMessage signed = RawMessage.parse(prepend(fields, bytes));
    bytes = null;
    DkimVerifier verifier = new DkimVerifier(InMemoryResolver.builder()
        .txt("rsa._domainkey.example.org", DkimKeys.keyRecord(rsa.getPublic()))
        .txt("ed._domainkey.example.org", DkimKeys.keyRecord(ed.getPublic()))
        .logQueries(false)
        .build(), clock);

    System.gc();
    long before = heapUsed();
    resetPeaks();
    long start = System.nanoTime();
    List<DkimResult> results = verifier.verify(signed);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long peak = peakHeap();

    System.out.printf("message: %,d bytes; max heap: %,d bytes%n", signed.size(), Runtime.getRuntime().maxMemory());
    System.out.printf("heap used before verify: %,d bytes; peak during verify: %,d bytes (peak of each pool summed)%n",
        before, peak);
    System.out.printf("verify: %d ms%n", millis);
    for (DkimResult r : results) {
      System.out.println("  " + r.status() + " " + r.algorithm() + " s=" + r.selector() + ": " + r.reason());
    }
    if (results.size() != 4 || !results.stream().allMatch(DkimResult::isPass)) {
      System.out.println("FAILED: not every signature passed");
      System.exit(1);
    }
  }

  /** About {@code size} bytes of text lines, built straight into a byte array (no String copy). */
  private static byte[] message(int size) {
    byte[] head = ("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: big\r\n"
        + "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] line = "The quick  brown fox jumps over the lazy dog; DKIM body line with\ttabs \r\n"
        .getBytes(StandardCharsets.US_ASCII);
    int lines = (size - head.length) / line.length;
    byte[] out = new byte[head.length + lines * line.length];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < lines; i++) {
      System.arraycopy(line, 0, out, head.length + i * line.length, line.length);
    }
    return out;
  }

  private static byte[] prepend(String[] fields, byte[] message) {
    StringBuilder sb = new StringBuilder();
    for (String f : fields) {
      sb.append(f).append("\r\n");
    }
    byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[head.length + message.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(message, 0, out, head.length, message.length);
    return out;
  }

  private static long heapUsed() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
