package dev.mailgate.authres;

import dev.mailgate.arc.ArcResult;
import dev.mailgate.dkim.DkimResult;
import java.net.InetAddress;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.spf.SpfResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the Authentication-Results header field (RFC 8601). This is the only place that knows its
 * syntax. Output is a complete field, folded before each result so no line exceeds 78 characters where
 * that can be helped, with CRLF between lines and none at the end. Stateless and thread-safe.
 */
public final class AuthResultsHeader {
  public static final String NAME = "Authentication-Results";
  private static final int LINE = 78;

  private AuthResultsHeader() {}

  /** The header field for everything in {@code report}, e.g. {@code Authentication-Results: mx; spf=pass ...}. */
  public static String format(String authservId, AuthReport report) {
    return format(authservId, resultInfos(report));
  }

  /** The result infos of a report, in the order mailgate writes them: spf, dkim..., arc, dmarc. */
  public static List<ResultInfo> resultInfos(AuthReport report) {
    List<ResultInfo> out = new ArrayList<>();
    if (report.spf() != null) {
      out.add(spf(report.spf()));
    }
    if (report.dkim() != null) {
      for (DkimResult d : report.dkim()) {
        out.add(dkim(d));
      }
    }
    if (report.arc() != null) {
      out.add(arc(report.arc(), report.envelope() == null ? null : report.envelope().clientIp()));
    }
    if (report.dmarc() != null) {
      out.add(dmarc(report.dmarc()));
    }
    return out;
  }

  /**
   * The dkim resinfo with header.d, header.i (RFC 8601 2.7.1), header.s, header.a (RFC 8601 6.3.1) and
   * header.b (RFC 6008: the first 8 characters of b=, to tell several signatures of one domain apart).
   */
  public static ResultInfo dkim(DkimResult r) {
    List<ResultInfo.Property> props = new ArrayList<>(5);
    addIfSet(props, "header", "d", r.domain());
    addIfSet(props, "header", "i", r.identity());
    addIfSet(props, "header", "s", r.selector());
    addIfSet(props, "header", "a", r.algorithm());
    addIfSet(props, "header", "b", r.bPrefix());
    return new ResultInfo("dkim", r.status(), r.reason(), props);
  }

  /**
   * The arc resinfo (RFC 8617 section 6): smtp.remote-ip, the SMTP client that handed us the message,
   * when known, and header.oldest-pass for a passing chain.
   */
  public static ResultInfo arc(ArcResult r, InetAddress remoteIp) {
    List<ResultInfo.Property> props = new ArrayList<>(2);
    if (remoteIp != null) {
      props.add(new ResultInfo.Property("smtp", "remote-ip", remoteIp.getHostAddress()));
    }
    if (r.status() == AuthStatus.PASS) {
      props.add(new ResultInfo.Property("header", "oldest-pass", Integer.toString(r.oldestPass())));
    }
    return new ResultInfo("arc", r.status(), r.reason(), props);
  }

  /** The dmarc resinfo with header.from and policy.dmarc (RFC 9989 section 9.1). */
  public static ResultInfo dmarc(DmarcResult r) {
    List<ResultInfo.Property> props = new ArrayList<>(2);
    addIfSet(props, "header", "from", r.domain());
    addIfSet(props, "policy", "dmarc", r.policyDmarc());
    return new ResultInfo("dmarc", r.status(), r.reason(), props);
  }

  private static void addIfSet(List<ResultInfo.Property> props, String ptype, String property, String value) {
    if (value != null && !value.isEmpty()) {
      props.add(new ResultInfo.Property(ptype, property, value));
    }
  }

  /** The spf resinfo: {@code spf=RESULT (reason) smtp.mailfrom=DOMAIN} or {@code smtp.helo=NAME}. */
  public static ResultInfo spf(SpfResult r) {
    List<ResultInfo.Property> props = new ArrayList<>(1);
    String value = r.identity() == SpfResult.Identity.HELO ? heloValue(r) : r.domain();
    // RFC 8601 section 2.7.2: without local-part provisions in the policy, report the domain only.
    addIfSet(props, "smtp", r.identity() == SpfResult.Identity.HELO ? "helo" : "mailfrom", value);
    return new ResultInfo("spf", r.status(), r.reason(), props);
  }

  private static String heloValue(SpfResult r) {
    if (r.domain() != null) {
      return r.domain();
    }
    String s = r.sender();
    return s == null ? null : s.substring(s.indexOf('@') + 1);
  }

  /**
   * The resinfos of {@link #format(String, AuthReport)} without the field name and authserv-id, e.g.
   * {@code spf=pass smtp.mailfrom=a.example; dkim=pass header.d=a.example} (folded), or {@code none}:
   * the payload an ARC-Authentication-Results repeats after its i= and authserv-id (RFC 8617 4.1.1).
   */
  public static String resinfos(String authservId, AuthReport report) {
    String field = format(authservId, report);
    String head = NAME + ": " + value(authservId) + ";";
    return field.substring(head.length()).strip();
  }

  /** Formats the given results; an empty list gives the RFC 8601 {@code none} form. */
  public static String format(String authservId, List<ResultInfo> results) {
    Folder f = new Folder(NAME + ": " + value(authservId));
    if (results.isEmpty()) {
      f.append(";", false);
      f.append(" none", true);
      return f.toString();
    }
    for (ResultInfo r : results) {
      f.append(";", false);
      f.newLine(r.method() + "=" + r.result().word());
      if (r.reason() != null && !r.reason().isBlank()) {
        f.appendWords(" " + comment(r.reason()));
      }
      for (ResultInfo.Property p : r.properties()) {
        f.append(" " + p.key() + "=" + pvalue(p.value()), true);
      }
    }
    return f.toString();
  }

  /** A comment with its delimiters; backslash, parentheses and control characters made safe (RFC 5322 3.2.2). */
  static String comment(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2).append('(');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == ')' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(' ');
      } else {
        sb.append(c);
      }
    }
    return sb.append(')').toString();
  }

  /** A pvalue: as is when it is a token or a plain address, otherwise a quoted-string (RFC 8601 2.2). */
  static String pvalue(String v) {
    if (isToken(v)) {
      return v;
    }
    int at = v.lastIndexOf('@');
    // [ [ local-part ] "@" ] domain-name: "@example.com" (DKIM's header.i without a local-part) is valid.
    if (at >= 0 && (at == 0 || isDotAtom(v.substring(0, at))) && isDotAtom(v.substring(at + 1))) {
      return v;
    }
    return quoted(v);
  }

  /** A MIME value (RFC 2045 section 5.1): token or quoted-string. */
  static String value(String v) {
    return isToken(v) ? v : quoted(v);
  }

  private static String quoted(String v) {
    StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return sb.append('"').toString();
  }

  private static boolean isToken(String v) {
    if (v.isEmpty()) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDotAtom(String v) {
    if (v.isEmpty() || v.startsWith(".") || v.endsWith(".") || v.contains("..")) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0 || c >= 0x80; // RFC 6532 allows UTF-8
      if (!atext) {
        return false;
      }
    }
    return true;
  }

  /** Builds folded header text: a new line starts with a tab; long comments break at spaces. */
  private static final class Folder {
    private final StringBuilder out = new StringBuilder(256);
    private int lineStart;

    Folder(String first) {
      out.append(first);
    }

    void newLine(String text) {
      out.append("\r\n\t");
      lineStart = out.length() - 1;
      out.append(text);
    }

    /** Appends text; when {@code foldable} and the line would grow past the limit, folds before it. */
    void append(String text, boolean foldable) {
      if (foldable && text.startsWith(" ") && out.length() - lineStart + text.length() > LINE) {
        out.append("\r\n\t").append(text, 1, text.length());
        lineStart = out.length() - (text.length() - 1) - 1;
      } else {
        out.append(text);
      }
    }

    /** Appends text word by word, folding at its spaces as needed (FWS may occur inside a comment). */
    void appendWords(String text) {
      int i = 0;
      while (i < text.length()) {
        int next = text.indexOf(' ', i + 1);
        if (next < 0) {
          next = text.length();
        }
        append(text.substring(i, next), true);
        i = next;
      }
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }
}
