package dev.mailgate.bench;

import dev.mailgate.arc.ArcSealer;
import dev.mailgate.arc.ArcValidator;
import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.authres.Authenticator;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsjavaResolver;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.TestDnsServer;
import dev.mailgate.message.Envelope;
import dev.mailgate.message.RawMessage;
import dev.mailgate.message.SesEnvelope;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Full authentication (SES envelope, SPF, DKIM, DMARC) over a mixed corpus in one process, as a warm
 * Lambda container sees it: the real dnsjava resolver with its cache, warmed by the first pass against a
 * DNS server on loopback, so steady-state passes answer from the cache.
 *
 * <p>Corpus: {@code N} messages (default 2,000) of 5-200 KB (log-uniform), from 20 sender domains with
 * two-level SPF include chains, an rsa-2048 DKIM signature (plus ed25519 on every third domain) and
 * DMARC records; one in ten comes from an unauthorized IP and one in twenty was altered after signing;
 * one in eight came through a mailing list that tagged the subject (DKIM broken) and added an ARC set;
 * plus four large messages of 10, 15, 20 and 30 MB. Each message is parsed from its bytes in the timed
 * loop, as the gateway does. Reports start-up, the warm-up (passes until the JIT compiler is quiet, with
 * their CPU cost), and the median CPU time per message of the steady-state passes that follow. Run:
 *
 * <pre>
 * bench/run-auth.sh [messages] [steady passes] [max warm-up passes]
 * </pre>
 */
public final class AuthThroughput {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
  private static final int DOMAINS = 20;

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int maxWarmupPasses = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Random rnd = new Random(42);

    StringBuilder zone = new StringBuilder();
    List<DkimSigner> rsaSigners = new ArrayList<>();
    List<DkimSigner> edSigners = new ArrayList<>();
    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    KeyPairGenerator edGen = KeyPairGenerator.getInstance("Ed25519");
    for (int d = 0; d < DOMAINS; d++) {
      String dom = "sender" + d + ".example";
      zone.append(dom).append(". 3600 IN TXT \"v=spf1 include:_spf.").append(dom).append(" -all\"\n");
      zone.append("_spf.").append(dom).append(". 3600 IN TXT \"v=spf1 ip4:203.0.113.0/28 ip4:198.51.").append(d)
          .append(".0/24 ip6:2001:db8:").append(Integer.toHexString(d)).append("::/48 include:_spf2.").append(dom).append(" ~all\"\n");
      zone.append("_spf2.").append(dom).append(". 3600 IN TXT \"v=spf1 ip4:192.0.2.").append(d * 8).append("/29 -all\"\n");
      String policy = d % 5 == 0 ? "none" : d % 2 == 0 ? "reject" : "quarantine";
      zone.append("_dmarc.").append(dom).append(". 3600 IN TXT \"v=DMARC1; p=").append(policy).append("; rua=mailto:r@").append(dom).append("\"\n");
      KeyPair rsa = rsaGen.generateKeyPair();
      zone.append("s1._domainkey.").append(dom).append(". 3600 IN TXT ").append(split(DkimKeys.keyRecord(rsa.getPublic()))).append('\n');
      rsaSigners.add(DkimSigner.builder(dom, "s1", rsa.getPrivate()).clock(CLOCK).build());
      if (d % 3 == 0) {
        KeyPair ed = edGen.generateKeyPair();
        zone.append("s2._domainkey.").append(dom).append(". 3600 IN TXT ").append(split(DkimKeys.keyRecord(ed.getPublic()))).append('\n');
        edSigners.add(DkimSigner.builder(dom, "s2", ed.getPrivate()).clock(CLOCK).build());
      } else {
        edSigners.add(null);
      }
    }

    // Kept as bytes: parsing is part of what the gateway pays for every message, so it is timed too.
    // A forwarder (a mailing list) that tags the subject, which breaks the author's DKIM signature, and
    // seals the message with ARC: one message in eight arrives this way.
    KeyPair fwdKey = rsaGen.generateKeyPair();
    zone.append("forwarder.example. 3600 IN TXT \"v=spf1 ip4:192.0.2.200/29 -all\"\n");
    zone.append("arc._domainkey.forwarder.example. 3600 IN TXT ").append(split(DkimKeys.keyRecord(fwdKey.getPublic()))).append('\n');
    ArcSealer forwarder = ArcSealer.builder("forwarder.example", "arc", fwdKey.getPrivate()).clock(CLOCK).build();
    ArcValidator noDns = new ArcValidator(InMemoryResolver.builder().build(), CLOCK);

    List<byte[]> corpus = new ArrayList<>(count + 4);
    long totalBytes = 0;
    for (int i = 0; i < count + 4; i++) {
      int size = i < count ? (int) Math.round(5_000 * Math.pow(40, rnd.nextDouble())) : new int[] {10, 15, 20, 30}[i - count] << 20;
      int d = rnd.nextInt(DOMAINS);
      byte[] m = message(i, d, size, rnd, rsaSigners.get(d), edSigners.get(d), forwarder, noDns);
      totalBytes += m.length;
      corpus.add(m);
    }

    try (TestDnsServer server = TestDnsServer.start(zone.toString())) {
      DnsResolver dns = DnsjavaResolver.create(DnsjavaResolver.Options.builder()
          .servers(List.of(server.hostPort())).timeout(Duration.ofSeconds(2)).build());
      Authenticator auth = new Authenticator(dns, CLOCK);
      System.out.printf("corpus: %d messages of 5-200 KB + 4 of 10-30 MB, %.1f MB in all%n", corpus.size(), totalBytes / 1e6);
      System.out.printf("start-up: JVM start to corpus ready %d ms (corpus generation included)%n",
          System.currentTimeMillis() - jvmStart);

      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      Map<AuthStatus, Integer> dmarcCounts = new EnumMap<>(AuthStatus.class);
      // Warm-up: passes until the JIT compiler is quiet (under 10 ms of compilation in a pass, twice in a
      // row), as in a container that has handled some thousands of messages. Its cost is reported on its
      // own: it is what the first minutes of a new container pay, not what each message costs after.
      long warmCpu = 0;
      int warmMessages = 0;
      int warmPasses = 0;
      int quiet = 0;
      while (warmPasses < maxWarmupPasses && quiet < 2) {
        long jit0 = jit.getTotalCompilationTime();
        Pass r = pass(corpus, auth, os, threads, dmarcCounts);
        long jitMs = jit.getTotalCompilationTime() - jit0;
        warmPasses++;
        warmCpu += r.processCpu;
        warmMessages += corpus.size();
        quiet = jitMs < 10 ? quiet + 1 : 0;
        System.out.printf("warm-up pass %d%s: %s, JIT compilation %d ms%n", warmPasses,
            warmPasses == 1 ? " (cold: JIT warm-up and DNS cache fill)" : "", r.describe(corpus.size()), jitMs);
      }
      System.out.printf("warm-up: %d messages in %d passes, %.1f s process CPU (%.0f us per message)%s%n",
          warmMessages, warmPasses, warmCpu / 1e9, warmCpu / 1e3 / warmMessages,
          quiet < 2 ? "; the JIT was still compiling when the warm-up limit was reached" : "");
      double[] perMessageUs = new double[passes];
      double[] mainUs = new double[passes];
      for (int p = 0; p < passes; p++) {
        Pass r = pass(corpus, auth, os, threads, dmarcCounts);
        perMessageUs[p] = r.processCpu / 1e3 / corpus.size();
        mainUs[p] = r.threadCpu / 1e3 / corpus.size();
        System.out.printf("steady pass %d: %s%n", p + 1, r.describe(corpus.size()));
      }
      double[] steady = perMessageUs.clone();
      Arrays.sort(steady);
      Arrays.sort(mainUs);
      double median = steady[steady.length / 2];
      System.out.printf("dmarc results per pass: %s; arc results (other than none): %s%n", dmarcCounts, arcCount);
      System.out.printf("CPU ms per thread group over the whole run (Linux /proc): %s%n", threadCpu());
      System.out.printf("steady state (median of %d passes after warm-up): %.1f us process CPU per message = %.0f messages per CPU-second (main thread %.1f us)%n",
          passes, median, 1e6 / median, mainUs[mainUs.length / 2]);
    }
  }

  private static final Map<AuthStatus, Integer> arcCount = new EnumMap<>(AuthStatus.class);

  /** One pass over the corpus: process and main-thread CPU, wall time. */
  private record Pass(long processCpu, long threadCpu, long wall) {
    String describe(int messages) {
      return String.format("process CPU %.0f ms (this thread %.0f ms), wall %.0f ms: %.1f us CPU per message, %.0f messages per CPU-second",
          processCpu / 1e6, threadCpu / 1e6, wall / 1e6, processCpu / 1e3 / messages, messages / (processCpu / 1e9));
    }
  }

  private static Pass pass(List<byte[]> corpus, Authenticator auth, com.sun.management.OperatingSystemMXBean os,
      ThreadMXBean threads, Map<AuthStatus, Integer> dmarcCounts) {
    long cpu0 = os.getProcessCpuTime();
    long thread0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    dmarcCounts.clear();
    arcCount.clear();
    for (byte[] bytes : corpus) {
      RawMessage msg = RawMessage.parse(bytes);
      Envelope env = SesEnvelope.read(msg).envelope();
      AuthReport r = auth.authenticate(env, msg);
      dmarcCounts.merge(r.dmarc().status(), 1, Integer::sum);
      if (r.arc().status() != AuthStatus.NONE) {
        arcCount.merge(r.arc().status(), 1, Integer::sum);
      }
    }
    return new Pass(os.getProcessCpuTime() - cpu0, threads.getCurrentThreadCpuTime() - thread0, System.nanoTime() - wall0);
  }

  /**
   * Where the process CPU outside the main thread goes (JIT compiler, GC, DNS client threads): CPU
   * milliseconds per thread name (digits folded) from /proc/self/task, which also lists the VM's own
   * threads that ThreadMXBean does not. Empty where there is no /proc.
   */
  private static Map<String, Long> threadCpu() {
    Map<String, Long> byName = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return byName;
    }
    double msPerTick = 1000.0 / 100; // USER_HZ is 100 on Linux
    for (java.io.File task : tasks) {
      try {
        String name = java.nio.file.Files.readString(task.toPath().resolve("comm")).trim().replaceAll("[0-9]+", "#");
        String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        byName.merge(name, Math.round(ticks * msPerTick), Long::sum);
      } catch (java.io.IOException | RuntimeException e) {
        // a thread that ended while we read it
      }
    }
    return byName;
  }

  /** A zone-file TXT value split into strings of at most 250 bytes. */
  private static String split(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length(); i += 250) {
      sb.append('"').append(value, i, Math.min(value.length(), i + 250)).append("\" ");
    }
    return sb.toString().trim();
  }

  private static byte[] message(int i, int d, int size, Random rnd, DkimSigner rsa, DkimSigner ed,
      ArcSealer forwarder, ArcValidator noDns) throws Exception {
    String dom = "sender" + d + ".example";
    StringBuilder sb = new StringBuilder(size + 2048);
    sb.append("From: User ").append(i).append(" <user").append(i).append('@').append(dom).append(">\r\n")
        .append("To: rcpt@mailgate.example\r\nSubject: Message ").append(i).append("\r\n")
        .append("Date: Sat, 28 Nov 2026 09:00:00 +0000\r\nMessage-ID: <").append(i).append('@').append(dom).append(">\r\n")
        .append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
        .append("--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    int textEnd = Math.min(size, 4000);
    while (sb.length() < textEnd) {
      sb.append("Lorem ipsum dolor sit amet,  consectetur adipiscing elit \t\r\n");
    }
    sb.append("--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    byte[] raw = new byte[57];
    while (sb.length() < size) {
      rnd.nextBytes(raw);
      sb.append(java.util.Base64.getEncoder().encodeToString(raw)).append("\r\n");
    }
    sb.append("--b--\r\n");
    RawMessage unsigned = RawMessage.parse(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    byte[] signed = rsa.signAndPrepend(unsigned);
    if (ed != null) {
      signed = ed.signAndPrepend(RawMessage.parse(signed));
    }
    if (i % 20 == 3) { // also from an unauthorized IP (i % 10 == 3): fails DMARC
      signed[signed.length - 20] ^= 1; // altered in transit: one bit of a base64 line
    }
    String ip = i % 10 == 3 ? "203.0.113." + (100 + rnd.nextInt(100)) : "198.51." + d + "." + (1 + rnd.nextInt(250));
    String mailFrom = "bounce-" + i + "@" + dom;
    String heloHost = "mail." + dom;
    if (i % 8 == 5 && i % 10 != 3) {
      String text = new String(signed, StandardCharsets.ISO_8859_1).replace("\r\nSubject: Message ", "\r\nSubject: [list] Message ");
      RawMessage listed = RawMessage.parse(text.getBytes(StandardCharsets.ISO_8859_1));
      signed = forwarder.seal(listed, noDns.validate(listed), "forwarder.example",
          "spf=pass smtp.mailfrom=" + dom + "; dkim=pass header.d=" + dom).orElseThrow().prependTo(listed);
      mailFrom = "list-bounce-" + i + "@forwarder.example";
      heloHost = "lists.forwarder.example";
      ip = "192.0.2.20" + rnd.nextInt(4);
    }
    String ses = "Return-Path: <" + mailFrom + ">\r\n"
        + "Received: from " + heloHost + " (" + heloHost + " [" + ip + "])\r\n"
        + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id id" + i + "\r\n"
        + " for rcpt@mailgate.example;\r\n Sat, 28 Nov 2026 09:00:01 +0000 (UTC)\r\n";
    byte[] head = ses.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[head.length + signed.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(signed, 0, out, head.length, signed.length);
    return out;
  }
}
