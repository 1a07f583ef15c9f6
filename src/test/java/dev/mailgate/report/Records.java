package dev.mailgate.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Message records for tests: a passing message from sender.example, changed field by field. */
final class Records {
  private Records() {}

  static final Instant DAY = Instant.parse("2026-11-27T10:00:00Z");

  /** A builder starting from a DMARC pass of sender.example (p=reject, rua to its own domain). */
  static final class B {
    Instant received = DAY;
    String id = "m1";
    String state = "delivered";
    String ip = "192.0.2.10";
    String mailFrom = "alice@sender.example";
    String headerFrom = "sender.example";
    String spfResult = "pass";
    String spfDomain = "sender.example";
    String spfScope = "mfrom";
    List<MessageRecord.Dkim> dkim = new ArrayList<>(List.of(new MessageRecord.Dkim("pass", "sender.example", "s1",
        "rsa-sha256")));
    String result = "pass";
    String policyDomain = "sender.example";
    String p = "reject";
    String sp = null;
    String testing = "n";
    String effective = "reject";
    String disposition = "none";
    boolean spfAligned = true;
    boolean dkimAligned = true;
    List<MessageRecord.Reason> overrides = new ArrayList<>();
    List<String> rua = new ArrayList<>(List.of("mailto:dmarc@sender.example"));
    List<String> errors = new ArrayList<>();

    B id(String v) {
      id = v;
      return this;
    }

    B at(Instant v) {
      received = v;
      return this;
    }

    B ip(String v) {
      ip = v;
      return this;
    }

    B state(String v) {
      state = v;
      return this;
    }

    B rua(String... v) {
      rua = new ArrayList<>(List.of(v));
      return this;
    }

    B fail(String disposition) {
      result = "fail";
      spfResult = "fail";
      dkim = new ArrayList<>();
      spfAligned = false;
      dkimAligned = false;
      this.disposition = disposition;
      return this;
    }

    MessageRecord build() {
      MessageRecord.Dmarc d = result == null ? null : new MessageRecord.Dmarc(result, policyDomain, "treewalk", p, sp,
          null, "r", "r", testing, "u", "0", 100, "p", p, effective, disposition, spfAligned, dkimAligned, overrides,
          rua, errors);
      return new MessageRecord(received, id, state, "forward", "clean", List.of(), ip, "mail.sender.example", mailFrom,
          headerFrom, List.of("bob@mailgate.example"), spfResult, spfDomain, spfScope, dkim, "none", 0, List.of(), d,
          "spf=mailgate dkim=mailgate dmarc=mailgate arc=mailgate", null);
    }
  }

  static B pass() {
    return new B();
  }
}
