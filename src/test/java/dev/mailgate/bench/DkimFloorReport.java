package dev.mailgate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
 * <p>For each case of {@link DkimBenchmark#verify} (size x body x signatures) it prints the measured
 * time per verification, the floor (message bytes at OpenSSL's 16 KB-block SHA-256 rate, plus one
 * OpenSSL RSA-2048 and/or Ed25519 verification), and their ratio. Run: {@code bench/dkim-floor.sh}.
 */
public final class DkimFloorReport {
  private DkimFloorReport() {}

  public static void main(String[] args) throws Exception {
    Floor floor = Floor.measure();
    System.out.printf("floor (openssl speed -seconds 2 -mr sha256 rsa2048 ed25519): SHA-256 %.2f GB/s, "
        + "RSA-2048 verify %.0f/s (%.1f us), Ed25519 verify %.0f/s (%.1f us)%n",
        floor.shaBytesPerSecond / 1e9, floor.rsaPerSecond, 1e6 / floor.rsaPerSecond, floor.edPerSecond,
        1e6 / floor.edPerSecond);
    Options opts = new OptionsBuilder()
        .include(DkimBenchmark.class.getSimpleName() + "\\.verify$")
        .forks(1)
        .warmupIterations(args.length > 0 ? Integer.parseInt(args[0]) : 3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(args.length > 1 ? Integer.parseInt(args[1]) : 5)
        .measurementTime(TimeValue.seconds(1))
        .timeUnit(TimeUnit.SECONDS)
        .threads(1)
        .build();
    Collection<RunResult> results = new Runner(opts).run();
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.<RunResult, String>comparing(r -> r.getParams().getParam("body"))
        .thenComparingInt(r -> Integer.parseInt(r.getParams().getParam("size")))
        .thenComparing(r -> r.getParams().getParam("signatures")));
    System.out.println();
    System.out.println("| body | size | signatures | verifications/s | us each | floor us | ratio to floor |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    double worst = 0;
    for (RunResult r : sorted) {
      String body = r.getParams().getParam("body");
      int size = Integer.parseInt(r.getParams().getParam("size"));
      String sigs = r.getParams().getParam("signatures");
      double opsPerSecond = r.getPrimaryResult().getScore();
      double us = 1e6 / opsPerSecond;
      double floorUs = 1e6 * (size / floor.shaBytesPerSecond
          + (sigs.equals("ed25519") ? 0 : 1 / floor.rsaPerSecond)
          + (sigs.equals("rsa") ? 0 : 1 / floor.edPerSecond));
      worst = Math.max(worst, us / floorUs);
      System.out.printf("| %s | %s | %s | %,.0f | %.1f | %.1f | %.2fx |%n", body, size >= 1 << 20 ? "1 MB"
          : size / 1024 + " KB", sigs, opsPerSecond, us, floorUs, us / floorUs);
    }
    System.out.printf("%nworst ratio to floor: %.2fx (target: 2x or less)%n", worst);
  }

  /** The machine's floor from OpenSSL's machine-readable {@code -mr} output. */
  record Floor(double shaBytesPerSecond, double rsaPerSecond, double edPerSecond) {
    static Floor measure() throws Exception {
      Process p = new ProcessBuilder("openssl", "speed", "-seconds", "2", "-mr", "sha256", "rsa2048", "ed25519")
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
