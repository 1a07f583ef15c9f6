package dev.mailgate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Issue 3's target, checked: DKIM verification within 2x of the floor the machine itself sets for the
 * same work, "SHA-256 over the hashed bytes plus one signature check", with the floor taken from {@code
 * openssl speed} on the same machine just before the JMH run (so both see the same load).
 *
 * <p>For each case of {@link DkimBenchmark#verify} (size x body x signatures) it measures the floor
 * (message bytes at OpenSSL's 16 KB-block SHA-256 rate, plus one OpenSSL RSA-2048 and/or Ed25519
 * verification) with {@code openssl speed -seconds 1} just before running that case alone in JMH, and
 * prints the time per verification, the floor and their ratio. Run: {@code bench/dkim-floor.sh [warm-up
 * iterations] [iterations]}; about 15 s per case, 27 cases.
 */
public final class DkimFloorReport {
  private DkimFloorReport() {}

  public static void main(String[] args) throws Exception {
    int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    // This VM's speed drifts by a third over minutes (OpenSSL's Ed25519 went from 75 to 109 us between two
    // runs): each case gets its own floor, measured just before it, so that a ratio compares like with like.
    List<String[]> cases = new ArrayList<>();
    for (String body : new String[] {"base64", "plain", "text"}) {
      for (String size : new String[] {"5120", "51200", "1048576"}) {
        for (String sigs : new String[] {"rsa", "ed25519", "both"}) {
          cases.add(new String[] {body, size, sigs});
        }
      }
    }
    List<String> rows = new ArrayList<>();
    double worst = 0;
    for (String[] c : cases) {
      Floor floor = Floor.measure(1);
      Options opts = new OptionsBuilder()
          .include(DkimBenchmark.class.getSimpleName() + "\\.verify$")
          .param("body", c[0]).param("size", c[1]).param("signatures", c[2])
          .forks(1)
          .warmupIterations(warmups)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(iterations)
          .measurementTime(TimeValue.seconds(1))
          .timeUnit(TimeUnit.SECONDS)
          .threads(1)
          .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
          .build();
      RunResult r = new Runner(opts).runSingle();
      int size = Integer.parseInt(c[1]);
      double opsPerSecond = r.getPrimaryResult().getScore();
      double us = 1e6 / opsPerSecond;
      double floorUs = 1e6 * (size / floor.shaBytesPerSecond
          + (c[2].equals("ed25519") ? 0 : 1 / floor.rsaPerSecond)
          + (c[2].equals("rsa") ? 0 : 1 / floor.edPerSecond));
      worst = Math.max(worst, us / floorUs);
      String row = String.format("| %s | %s | %s | %,.0f | %.1f | %.1f (SHA %.2f GB/s, RSA %.1f us, Ed25519 %.1f us) | %.2fx |",
          c[0], size >= 1 << 20 ? "1 MB" : size / 1024 + " KB", c[2], opsPerSecond, us, floorUs,
          floor.shaBytesPerSecond / 1e9, 1e6 / floor.rsaPerSecond, 1e6 / floor.edPerSecond, us / floorUs);
      System.out.println(row);
      rows.add(row);
    }
    System.out.println();
    System.out.println("| body | size | signatures | verifications/s | us each | floor us (measured just before) | ratio to floor |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    rows.forEach(System.out::println);
    System.out.printf("%nworst ratio to floor: %.2fx (target: 2x or less)%n", worst);
  }

  /** The machine's floor from OpenSSL's machine-readable {@code -mr} output. */
  record Floor(double shaBytesPerSecond, double rsaPerSecond, double edPerSecond) {
    static Floor measure(int seconds) throws Exception {
      Process p = new ProcessBuilder("openssl", "speed", "-seconds", String.valueOf(seconds), "-mr", "sha256",
          "rsa2048", "ed25519")
          .redirectErrorStream(true).start();
      double sha = 0;
      double rsa = 0;
      double ed = 0;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.split(":");
          if (line.startsWith("+F:") && f[2].equals("sha256")) {
            sha = Double.parseDouble(f[f.length - 1]); // bytes/s for the largest block size (16 KB)
          } else if (line.startsWith("+F2:") && f[2].equals("2048")) {
            rsa = Double.parseDouble(f[4]); // sign/s, verify/s
          } else if (line.startsWith("+F6:") && f[3].equals("Ed25519")) {
            ed = Double.parseDouble(f[5]);
          }
        }
      }
      if (p.waitFor() != 0 || sha == 0 || rsa == 0 || ed == 0) {
        throw new IllegalStateException("could not read openssl speed's output (is openssl 3 on PATH?)");
      }
      return new Floor(sha, rsa, ed);
    }
  }
}
