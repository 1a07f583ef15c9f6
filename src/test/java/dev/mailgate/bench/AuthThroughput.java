package dev.mailgate.bench;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.authres.Authenticator;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsjavaResolver;
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
 * plus four large messages of 10, 15, 20 and 30 MB. Reports start-up, the first (cold) pass, and the
 * median CPU time per message of the steady-state passes. Run:
 *
 * <pre>
 * bench/run-auth.sh            (or: java -cp ... dev.mailgate.bench.AuthThroughput [messages] [passes])
 * </pre>
 */
public final class AuthThroughput {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
  private static final int DOMAINS = 20;

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
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

    List<RawMessage> corpus = new ArrayList<>(count + 4);
    long totalBytes = 0;
    for (int i = 0; i < count + 4; i++) {
      int size = i < count ? (int) Math.round(5_000 * Math.pow(40, rnd.nextDouble())) : new int[] {10, 15, 20, 30}[i - count] << 20;
      int d = rnd.nextInt(DOMAINS);
      byte[] m = message(i, d, size, rnd, rsaSigners.get(d), edSigners.get(d));
      totalBytes += m.length;
      corpus.add(RawMessage.parse(m));
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
      double[] perMessageUs = new double[passes];
      Map<AuthStatus, Integer> dmarcCounts = new EnumMap<>(AuthStatus.class);
      for (int p = 0; p < passes; p++) {
        long cpu0 = os.getProcessCpuTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        dmarcCounts.clear();
        for (RawMessage msg : corpus) {
          Envelope env = SesEnvelope.read(msg).envelope();
          AuthReport r = auth.authenticate(env, msg);
          dmarcCounts.merge(r.dmarc().status(), 1, Integer::sum);
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        long thread = threads.getCurrentThreadCpuTime() - thread0;
        long wall = System.nanoTime() - wall0;
        perMessageUs[p] = cpu / 1e3 / corpus.size();
        System.out.printf("pass %d%s: process CPU %.0f ms (this thread %.0f ms), wall %.0f ms: %.1f us CPU per message, %.0f messages per CPU-second%n",
            p + 1, p == 0 ? " (cold: JIT warm-up and DNS cache fill)" : "", cpu / 1e6, thread / 1e6, wall / 1e6,
            perMessageUs[p], corpus.size() / (cpu / 1e9));
      }
      double[] steady = Arrays.copyOfRange(perMessageUs, 1, passes);
      Arrays.sort(steady);
      double median = steady[steady.length / 2];
      System.out.printf("dmarc results per pass: %s%n", dmarcCounts);
      System.out.printf("steady state (median of passes 2-%d): %.1f us CPU per message = %.0f messages per CPU-second%n",
          passes, median, 1e6 / median);
    }
  }

  /** A zone-file TXT value split into strings of at most 250 bytes. */
  private static String split(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length(); i += 250) {
      sb.append('"').append(value, i, Math.min(value.length(), i + 250)).append("\" ");
    }
    return sb.toString().trim();
  }

  private static byte[] message(int i, int d, int size, Random rnd, DkimSigner rsa, DkimSigner ed) throws Exception {
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
    String ses = "Return-Path: <bounce-" + i + "@" + dom + ">\r\n"
        + "Received: from mail." + dom + " (mail." + dom + " [" + ip + "])\r\n"
        + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id id" + i + "\r\n"
        + " for rcpt@mailgate.example;\r\n Sat, 28 Nov 2026 09:00:01 +0000 (UTC)\r\n";
    byte[] head = ses.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[head.length + signed.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(signed, 0, out, head.length, signed.length);
    return out;
  }
}
