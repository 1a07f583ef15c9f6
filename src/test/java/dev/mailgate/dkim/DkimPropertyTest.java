package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated messages (fixed seed) signed with several keys, both algorithms and all four
 * canonicalization pairs, verified as signed (pass), then tampered with one way at a time and verified
 * again: a changed signed header value, an added body byte, whitespace changes (fail where that part
 * is canonicalized "simple", pass where "relaxed"), a removed signed header, and an extra instance of a
 * header field (fail when over-signed; pass when the extra instance is above an unsigned-again one).
 */
class DkimPropertyTest {
  private static final int MESSAGES = 128;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  private record Key(String selector, KeyPair pair) {}

  private static final List<Key> KEYS = List.of(
      new Key("rsa1024", TestKeys.rsa1024()),
      new Key("rsa2048", TestKeys.rsa2048()),
      new Key("ed1", TestKeys.ed25519()),
      new Key("ed2", TestKeys.ed25519Other()));
  private static final Canonicalization[][] PAIRS = {
      {Canonicalization.SIMPLE, Canonicalization.SIMPLE},
      {Canonicalization.SIMPLE, Canonicalization.RELAXED},
      {Canonicalization.RELAXED, Canonicalization.SIMPLE},
      {Canonicalization.RELAXED, Canonicalization.RELAXED}};
  private static final String[] DOMAINS = {"example.org", "mail.example.net"};

  /** A message as separate raw header fields and body, so tampering can work on the parts. */
  private record Msg(List<String> fields, String body) {
    String render(String signature) {
      StringBuilder sb = new StringBuilder();
      if (signature != null) {
        sb.append(signature).append("\r\n");
      }
      for (String f : fields) {
        sb.append(f).append("\r\n");
      }
      return sb.append("\r\n").append(body).toString();
    }

    int index(String name) {
      for (int i = 0; i < fields.size(); i++) {
        String f = fields.get(i);
        if (f.substring(0, f.indexOf(':')).strip().equalsIgnoreCase(name)) {
          return i;
        }
      }
      throw new IllegalStateException("no " + name);
    }

    Msg withField(int i, String raw) {
      List<String> f = new ArrayList<>(fields);
      f.set(i, raw);
      return new Msg(f, body);
    }

    Msg without(int i) {
      List<String> f = new ArrayList<>(fields);
      f.remove(i);
      return new Msg(f, body);
    }

    Msg withFieldAt(int i, String raw) {
      List<String> f = new ArrayList<>(fields);
      f.add(i, raw);
      return new Msg(f, body);
    }

    Msg withBody(String b) {
      return new Msg(fields, b);
    }
  }

  @TestFactory
  List<DynamicNode> signedMessagesPassAndTamperedOnesFail() throws Exception {
    Random rnd = new Random(20_180_925L);
    InMemoryResolver.Builder dnsBuilder = InMemoryResolver.builder();
    for (String d : DOMAINS) {
      for (Key k : KEYS) {
        dnsBuilder.txt(DkimKeyRecord.dnsName(k.selector(), d), DkimKeys.keyRecord(k.pair().getPublic()));
      }
    }
    DkimVerifier verifier = new DkimVerifier(dnsBuilder.build(), CLOCK);
    List<DynamicNode> nodes = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      Key key = KEYS.get(i % KEYS.size());
      Canonicalization[] c = PAIRS[(i / KEYS.size()) % PAIRS.length];
      boolean overSign = (i / (KEYS.size() * PAIRS.length)) % 2 == 0;
      String domain = DOMAINS[i % 3 == 0 ? 1 : 0];
      Msg m = generate(rnd);
      DkimSigner signer = DkimSigner.builder(domain, key.selector(), key.pair().getPrivate())
          .canonicalization(c[0], c[1])
          .headers(List.of("From", "To", "Cc", "Subject", "Date", "Message-ID", "X-Custom", "Received"))
          .overSign(overSign)
          .clock(CLOCK)
          .build();
      String sig = signer.sign(parse(m.render(null)));
      boolean headerRelaxed = c[0] == Canonicalization.RELAXED;
      boolean bodyRelaxed = c[1] == Canonicalization.RELAXED;

      List<DynamicTest> tests = new ArrayList<>();
      tests.add(check(verifier, "as signed -> pass", sig, m, AuthStatus.PASS));
      tests.add(check(verifier, "signed header value changed -> fail", sig,
          edit(m, "Subject", f -> f + "X"), AuthStatus.FAIL));
      tests.add(check(verifier, "body byte added -> fail", sig, m.withBody("Z" + m.body()), AuthStatus.FAIL));
      tests.add(check(verifier, "whitespace after the colon of a signed header -> " + (headerRelaxed ? "pass (relaxed)" : "fail (simple)"),
          sig, edit(m, "Subject", f -> f.substring(0, f.indexOf(':') + 1) + " \t" + f.substring(f.indexOf(':') + 1)),
          headerRelaxed ? AuthStatus.PASS : AuthStatus.FAIL));
      tests.add(check(verifier, "signed header refolded -> " + (headerRelaxed ? "pass (relaxed)" : "fail (simple)"),
          sig, edit(m, "Date", f -> f.replaceFirst(",", ",\r\n\t")), headerRelaxed ? AuthStatus.PASS : AuthStatus.FAIL));
      tests.add(check(verifier, "trailing whitespace on a body line -> " + (bodyRelaxed ? "pass (relaxed)" : "fail (simple)"),
          sig, m.withBody(trailingSpaceOnFirstLine(m.body())), bodyRelaxed ? AuthStatus.PASS : AuthStatus.FAIL));
      tests.add(check(verifier, "signed header removed -> fail", sig, m.without(m.index("To")), AuthStatus.FAIL));
      if (overSign) {
        tests.add(check(verifier, "extra Subject above the over-signed one -> fail", sig,
            m.withFieldAt(0, "Subject: injected"), AuthStatus.FAIL));
        tests.add(check(verifier, "new Cc where none was (over-signed) -> fail", sig,
            m.withFieldAt(0, "Cc: eve@example.com"), AuthStatus.FAIL));
      } else {
        tests.add(check(verifier, "extra Subject above the signed one, not over-signed -> pass (bottom-up)", sig,
            m.withFieldAt(0, "Subject: injected"), AuthStatus.PASS));
      }
      String name = String.format(Locale.ROOT, "message %03d: %s, c=%s/%s%s, %d header fields, body %d octets", i,
          key.selector(), c[0].tagValue(), c[1].tagValue(), overSign ? ", over-signed" : "", m.fields().size(), m.body().length());
      nodes.add(dynamicContainer(name, tests));
    }
    return nodes;
  }

  private static DynamicTest check(DkimVerifier v, String name, String sig, Msg m, AuthStatus expected) {
    return dynamicTest(name, () -> {
      List<DkimResult> r = v.verify(parse(m.render(sig)));
      assertThat(r).hasSize(1);
      assertThat(r.get(0).status()).as("%s: %s", r.get(0).reason(), escape(m.render(sig))).isEqualTo(expected);
    });
  }

  private static Msg edit(Msg m, String field, UnaryOperator<String> f) {
    int i = m.index(field);
    return m.withField(i, f.apply(m.fields().get(i)));
  }

  private static String trailingSpaceOnFirstLine(String body) {
    int crlf = body.indexOf("\r\n");
    return crlf < 0 ? body + " " : body.substring(0, crlf) + " " + body.substring(crlf);
  }

  private static RawMessage parse(String s) {
    return RawMessage.parse(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  // ---- message generation ----

  private static final String[] WORDS = {"hello", "world", "DKIM", "caf\u00c3\u00a9", "na\u00efve", "x", "42",
      "r\u00e9sum\u00e9", "-", "\u00ff\u00fe", "lorem", "ipsum"};

  private static Msg generate(Random rnd) {
    List<String> fields = new ArrayList<>();
    int received = rnd.nextInt(4);
    for (int i = 0; i < received; i++) {
      fields.add("Received: from host" + i + ".example.net (host" + i + ".example.net [192.0.2." + i + "])\r\n\tby mx.example.org;"
          + " Tue, 14 Nov 2023 22:13:" + (10 + i) + " +0000");
    }
    fields.add(name(rnd, "From") + ": " + words(rnd, 1, 3) + " <alice@example.org>" + wsp(rnd));
    fields.add(name(rnd, "To") + ":" + wsp(rnd) + "bob@example.net");
    fields.add(name(rnd, "Subject") + ":" + (rnd.nextBoolean() ? " " : "") + subject(rnd));
    fields.add("Date: Tue, 14 Nov 2023 22:13:20 +0000");
    if (rnd.nextBoolean()) {
      fields.add("Message-ID: <" + rnd.nextInt(1_000_000) + "@example.org>");
    }
    if (rnd.nextInt(3) > 0) {
      fields.add("X-Custom" + (rnd.nextBoolean() ? " " : "") + ":" + wsp(rnd) + words(rnd, 1, 4).replace(" ", wsp(rnd) + " ") + wsp(rnd));
    }
    if (rnd.nextInt(4) == 0) {
      fields.add("X-Long: " + fold(rnd, words(rnd, 150, 250)));
    }
    if (rnd.nextInt(3) == 0) {
      fields.add("MIME-Version: 1.0");
      fields.add("Content-Type: text/plain;\r\n charset=\"utf-8\"");
    }
    return new Msg(fields, body(rnd));
  }

  private static String name(Random rnd, String n) {
    return switch (rnd.nextInt(4)) {
      case 0 -> n.toUpperCase(Locale.ROOT);
      case 1 -> n.toLowerCase(Locale.ROOT);
      default -> n;
    };
  }

  private static String subject(Random rnd) {
    String s = words(rnd, 1, 12);
    if (rnd.nextInt(3) == 0) {
      s = fold(rnd, s);
    }
    return s + wsp(rnd);
  }

  /** Folds at some spaces: CRLF plus one or more WSP. */
  private static String fold(Random rnd, String s) {
    StringBuilder sb = new StringBuilder();
    String[] parts = s.split(" ");
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append(rnd.nextInt(5) == 0 ? "\r\n" + (rnd.nextBoolean() ? "\t" : "   ") : " ");
      }
      sb.append(parts[i]);
    }
    return sb.toString();
  }

  private static String words(Random rnd, int min, int max) {
    int n = min + rnd.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  private static String wsp(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> " ";
      case 1 -> "\t";
      case 2 -> "  \t ";
      default -> "";
    };
  }

  private static String body(Random rnd) {
    switch (rnd.nextInt(10)) {
      case 0:
        return ""; // empty body
      case 1:
        return "\r\n\r\n"; // only empty lines
      default:
        break;
    }
    StringBuilder sb = new StringBuilder();
    int lines = 1 + rnd.nextInt(30);
    for (int i = 0; i < lines; i++) {
      switch (rnd.nextInt(8)) {
        case 0 -> sb.append("");
        case 1 -> sb.append(wsp(rnd)).append(" ");
        case 2 -> sb.append("y".repeat(500 + rnd.nextInt(3000))); // long line
        case 3 -> sb.append(wsp(rnd)).append(words(rnd, 1, 10).replace(" ", "  ")).append(wsp(rnd));
        case 4 -> sb.append("\u0080\u00a0\u00ff 8-bit \u00e9");
        default -> sb.append(words(rnd, 1, 15));
      }
      sb.append("\r\n");
    }
    switch (rnd.nextInt(4)) {
      case 0 -> sb.append("\r\n\r\n\r\n"); // trailing empty lines
      case 1 -> sb.append("no final line break").append(wsp(rnd));
      case 2 -> sb.append(" \t\r\n\r\n"); // whitespace-only line, then an empty one
      default -> { }
    }
    return sb.toString();
  }

  private static String escape(String s) {
    String e = s.length() > 600 ? s.substring(0, 600) + "..." : s;
    return e.replace("\r", "\\r").replace("\n", "\\n\n").replace("\t", "\\t");
  }
}
