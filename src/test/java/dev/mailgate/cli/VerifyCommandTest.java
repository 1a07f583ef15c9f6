package dev.mailgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verify command as a user runs it: exit codes, output, and bad input handled without stack traces. */
class VerifyCommandTest {
  static final Path SAMPLE = Path.of("events/messages/ses-inbound.eml");
  static final Path FIXTURE = Path.of("events/dns-fixture.zone");

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {
    List<Map<String, Object>> json() throws IOException {
      List<Map<String, Object>> list = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          list.add(JSON.std.mapFrom(line));
        }
      }
      return list;
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spf(Map<String, Object> o) {
    return (Map<String, Object>) o.get("spf");
  }

  @Test
  void readsTheEnvelopeFromSesHeadersAndPrintsTheHeader() {
    Run r = run("verify", "--dns-fixture", FIXTURE.toString(), "--authserv-id", "mx.mailgate.example", SAMPLE.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("Authentication-Results: mx.mailgate.example;");
    assertThat(r.out()).contains("spf=pass").contains("smtp.mailfrom=sender.example");
  }

  @Test
  void jsonHasTheContractFields() throws IOException {
    Run r = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), SAMPLE.toString());
    assertThat(r.exit()).isZero();
    Map<String, Object> o = r.json().get(0);
    assertThat(o.get("file")).isEqualTo(SAMPLE.toString());
    assertThat(spf(o)).containsEntry("result", "pass").containsEntry("domain", "sender.example")
        .containsEntry("scope", "mailfrom").containsKey("reason");
    assertThat((String) o.get("authenticationResults")).startsWith("Authentication-Results: mailgate;");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> dkim = (List<Map<String, Object>>) o.get("dkim");
    assertThat(dkim).singleElement().satisfies(d -> assertThat(d).containsEntry("result", "pass")
        .containsEntry("domain", "sender.example").containsEntry("selector", "mail2026")
        .containsEntry("algorithm", "rsa-sha256").containsKey("reason"));
    @SuppressWarnings("unchecked")
    Map<String, Object> dmarc = (Map<String, Object>) o.get("dmarc");
    assertThat(dmarc).containsEntry("result", "pass").containsEntry("domain", "sender.example")
        .containsEntry("policy", "reject").containsEntry("disposition", "none");
  }

  @Test
  void dmarcPassesThroughDkimFromAnyIpAndFailsWhenTheSignatureBreaks() throws IOException {
    String forged = Files.readString(SAMPLE).replace("From: Alice <alice@sender.example>", "From: Alice <alice@sender.example> ");
    Path m = Files.writeString(tmp.resolve("forged.eml"), forged);
    Run r = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), "--client-ip", "203.0.113.9", m.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> dmarc = (Map<String, Object>) r.json().get(0).get("dmarc");
    // Relaxed header canonicalization drops trailing blanks (RFC 6376 3.4.2): DKIM still passes, and DMARC
    // passes through the aligned signature although SPF fails from this IP.
    assertThat(dmarc).containsEntry("result", "pass").containsEntry("spfAligned", false);
    String tampered = Files.readString(SAMPLE).replace("Subject: Quarterly figures", "Subject: Quarterly figures!");
    Path t = Files.writeString(tmp.resolve("tampered.eml"), tampered);
    Run r2 = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), "--client-ip", "203.0.113.9", t.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> dmarc2 = (Map<String, Object>) r2.json().get(0).get("dmarc");
    assertThat(dmarc2).containsEntry("result", "fail").containsEntry("disposition", "reject");
  }

  @Test
  void envelopeOptionsReplaceWhatTheMessageSays() throws IOException {
    Run r = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), "--client-ip", "203.0.113.9", SAMPLE.toString());
    assertThat(spf(r.json().get(0))).containsEntry("result", "fail");
    Run v6 = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), "--client-ip", "2001:db8:1::77", SAMPLE.toString());
    assertThat(spf(v6.json().get(0))).containsEntry("result", "pass");
  }

  @Test
  void rfc7208_2_4_nullSenderChecksTheHeloIdentity() throws IOException {
    for (String nullSender : new String[] {"", "<>"}) {
      Run r = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), "--mail-from", nullSender,
          "--helo", "sender.example", "--client-ip", "192.0.2.10", SAMPLE.toString());
      Map<String, Object> spf = spf(r.json().get(0));
      assertThat(spf).containsEntry("scope", "helo").containsEntry("result", "pass");
      assertThat((String) r.json().get(0).get("authenticationResults")).contains("smtp.helo=sender.example");
    }
  }

  @Test
  void severalFilesInOneProcessAndDirectories() throws IOException {
    Files.copy(SAMPLE, tmp.resolve("a.eml"));
    Files.copy(SAMPLE, tmp.resolve("b.eml"));
    Run r = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), tmp.toString(), SAMPLE.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.json()).extracting(o -> o.get("file"))
        .containsExactly(tmp.resolve("a.eml").toString(), tmp.resolve("b.eml").toString(), SAMPLE.toString());
    Run text = run("verify", "--dns-fixture", FIXTURE.toString(), SAMPLE.toString(), SAMPLE.toString());
    assertThat(text.out()).contains("==> " + SAMPLE + " <==");
  }

  @Test
  void malformedClientIpIsAUsageError() {
    Run r = run("verify", "--dns-fixture", FIXTURE.toString(), "--client-ip", "300.1.2.3", SAMPLE.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--client-ip").contains("300.1.2.3").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run("verify", "--client-ip", "mail.example.com", SAMPLE.toString()).exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void unknownOptionsAndMissingFilesAreUsageErrors() {
    assertThat(run("verify", "--bogus", SAMPLE.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("verify").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("verify", "--dns-fixture", "no/such/fixture.zone", SAMPLE.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("verify", "--dns-timeout", "-1", SAMPLE.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("verify", "--dns", "bad host:99999", SAMPLE.toString()).exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void unreadableOrNonMessageFilesAreReportedAndTheOthersStillVerified() throws IOException {
    Path binary = tmp.resolve("binary.bin");
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    noise[3] = 0;
    Files.write(binary, noise);
    Path empty = Files.write(tmp.resolve("empty.eml"), new byte[0]);
    Run r = run("verify", "--json", "--dns-fixture", FIXTURE.toString(),
        tmp.resolve("missing.eml").toString(), binary.toString(), empty.toString(), SAMPLE.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT_ERROR);
    List<Map<String, Object>> json = r.json();
    assertThat(json).hasSize(4);
    assertThat(json.get(0)).containsEntry("error", "no such file");
    assertThat((String) json.get(1).get("error")).startsWith("not a mail message");
    assertThat((String) json.get(2).get("error")).contains("empty");
    assertThat(spf(json.get(3))).containsEntry("result", "pass");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aMessageWithoutHeaderBodySeparatorIsStillVerified() throws IOException {
    Path m = Files.writeString(tmp.resolve("nosep.eml"),
        "From: a@sender.example\r\nSubject: no body and no empty line\r\n", StandardCharsets.US_ASCII);
    Run r = run("verify", "--json", "--dns-fixture", FIXTURE.toString(), "--client-ip", "192.0.2.10",
        "--mail-from", "a@sender.example", m.toString());
    assertThat(r.exit()).isZero();
    assertThat(spf(r.json().get(0))).containsEntry("result", "pass");
  }

  @Test
  void hostileDnsGivesAResultNotACrash() throws IOException {
    String chunk = "ip4:10.0.0.1 ".repeat(19);
    StringBuilder zone = new StringBuilder("$ORIGIN test.\n$TTL 60\n");
    // A 5,000-character TXT record, in 255-byte strings as DNS carries it.
    zone.append("big TXT \"v=spf1 \"");
    StringBuilder big = new StringBuilder();
    while (big.length() < 5000) {
      big.append(chunk);
    }
    for (int i = 0; i < big.length(); i += 250) {
      zone.append(" \"").append(big, i, Math.min(big.length(), i + 250)).append('"');
    }
    zone.append(" \" -all\"\n");
    zone.append("loop1 TXT \"v=spf1 include:loop2.test -all\"\n");
    zone.append("loop2 TXT \"v=spf1 include:loop1.test -all\"\n");
    zone.append("garbage TXT \"v=spf1 ip4:999.1.1.1 -all\"\n");
    Path fixture = Files.writeString(tmp.resolve("hostile.zone"), zone);
    for (String[] c : new String[][] {{"big.test", "fail"}, {"loop1.test", "permerror"}, {"garbage.test", "permerror"}}) {
      Run r = run("verify", "--json", "--dns-fixture", fixture.toString(), "--client-ip", "192.0.2.1",
          "--mail-from", "x@" + c[0], SAMPLE.toString());
      assertThat(r.exit()).as(c[0]).isZero();
      assertThat(spf(r.json().get(0))).as(c[0]).containsEntry("result", c[1]);
    }
  }

  @Test
  void helpListsTheContractOptions() {
    Run r = run("verify", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--json", "--dns", "--dns-fixture", "--dns-timeout", "--now", "--authserv-id",
        "--client-ip", "--helo", "--mail-from", "Exit codes");
  }
}
