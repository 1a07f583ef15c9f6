package dev.mailgate.message;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An RFC 5322 address-list (section 3.4), as From:, To: or Cc: carry it, parsed for the domains of its
 * mailboxes: DMARC takes the Author Domain from From: (RFC 9989 section 5.3.1). Immutable and thread-safe.
 *
 * <p>Parsing follows RFC 5322 including the obsolete syntax of section 4.4 (routes in angle brackets, empty
 * list elements, CFWS around dots, "." in display names) and RFC 6532 (UTF-8 in atoms and quoted strings).
 * Display names are not decoded: encoded words stay as written. Comments are skipped.
 *
 * <p>The parser stops at the first syntax error and reports it in {@code problems}; {@code mailboxes} then
 * holds only the mailboxes before it. A mailbox whose domain is not a valid domain name is left out and
 * reported too. Callers that need a well-formed field (DMARC: "a single, properly formed RFC5322.From",
 * RFC 9989 section 4.2) must check {@link #isValid()} before using {@link #domains()}.
 *
 * @param mailboxes the mailboxes in order, those inside groups included
 * @param problems what was malformed, in order; empty when the whole value parsed
 */
public record AddressList(List<Mailbox> mailboxes, List<String> problems) {

  /**
   * One mailbox.
   *
   * @param displayName the display name, comments dropped, quotes removed, encoded words as written; null
   *     when there is none
   * @param address the address, its domain normalized to lower-case A-labels
   * @param group the display name of the group it belongs to, or null
   */
  public record Mailbox(String displayName, MailAddress address, String group) {}

  public AddressList {
    mailboxes = List.copyOf(mailboxes);
    problems = List.copyOf(problems);
  }

  /** Parses a header field's value (folded or not; CR and LF count as folding white space). Never throws. */
  public static AddressList parse(String headerValue) {
    if (headerValue == null) {
      return new AddressList(List.of(), List.of("no value"));
    }
    return new Parser(headerValue).addressList();
  }

  /** Whether the whole value was a well-formed address-list with valid domains. */
  public boolean isValid() {
    return problems.isEmpty();
  }

  /** The distinct domains of the mailboxes, in order of first appearance (lower case, A-labels). */
  public List<String> domains() {
    Set<String> out = new LinkedHashSet<>();
    for (Mailbox m : mailboxes) {
      out.add(m.address().domain());
    }
    return List.copyOf(out);
  }

  /** One-pass recursive-descent parser; positions in problems are 0-based character offsets. */
  private static final class Parser {
    private final String s;
    private int pos;
    private final List<Mailbox> mailboxes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int addresses;

    Parser(String s) {
      this.s = s;
    }

    /** A word of a phrase or local-part (atom or quoted string), or a dot. */
    private record Item(boolean dot, String text, String raw, int start, int end) {}

    /** Thrown only inside the parser to unwind to {@link #addressList()}; never escapes. */
    private static final class SyntaxError extends Exception {
      SyntaxError(String message) {
        super(message, null, false, false);
      }
    }

    AddressList addressList() {
      try {
        while (true) {
          skipCfws();
          if (pos >= s.length()) {
            break;
          }
          if (s.charAt(pos) == ',') {
            pos++; // obs-addr-list: empty elements are allowed (RFC 5322 4.4)
            continue;
          }
          address(null);
          skipCfws();
          if (pos >= s.length()) {
            break;
          }
          expect(',', "expected ',' between addresses");
        }
        if (addresses == 0) {
          problems.add("no address");
        }
      } catch (SyntaxError e) {
        problems.add(e.getMessage() + " at " + pos);
      }
      return new AddressList(mailboxes, problems);
    }

    /** address = mailbox / group; inside a group ({@code group != null}) a group is not allowed. */
    private void address(String group) throws SyntaxError {
      List<Item> items = items();
      skipCfws();
      char c = pos < s.length() ? s.charAt(pos) : 0;
      if (c == '<') {
        String name = items.isEmpty() ? null : phrase(items);
        MailAddress a = angleAddr();
        add(name, a, group);
      } else if (c == ':') {
        if (group != null) {
          throw new SyntaxError("group inside a group");
        }
        if (items.isEmpty()) {
          throw new SyntaxError("group without a name");
        }
        pos++;
        groupList(phrase(items));
      } else if (c == '@') {
        String local = localPart(items);
        pos++;
        add(null, domainPart(local), group);
      } else if (items.isEmpty()) {
        throw new SyntaxError(c == 0 ? "address expected" : "unexpected '" + c + "'");
      } else {
        throw new SyntaxError(c == 0 ? "no @domain" : "unexpected '" + c + "' after a phrase");
      }
      addresses++;
    }

    private void groupList(String name) throws SyntaxError {
      while (true) {
        skipCfws();
        if (pos >= s.length()) {
          throw new SyntaxError("group not closed with ';'");
        }
        char c = s.charAt(pos);
        if (c == ';') {
          pos++;
          return;
        }
        if (c == ',') {
          pos++; // obs-group-list and obs-mbox-list allow empty elements
          continue;
        }
        address(name);
        skipCfws();
        if (pos >= s.length()) {
          throw new SyntaxError("group not closed with ';'");
        } else if (s.charAt(pos) == ',') {
          pos++;
        } else if (s.charAt(pos) != ';') {
          throw new SyntaxError("expected ',' or ';' in group");
        }
      }
    }

    /** angle-addr = "<" [obs-route] addr-spec ">". */
    private MailAddress angleAddr() throws SyntaxError {
      pos++; // '<'
      skipCfws();
      if (pos < s.length() && s.charAt(pos) == '@') {
        obsRoute();
      }
      skipCfws();
      if (pos < s.length() && s.charAt(pos) == '>') {
        throw new SyntaxError("empty angle-addr");
      }
      List<Item> items = items();
      skipCfws();
      if (pos >= s.length() || s.charAt(pos) != '@') {
        throw new SyntaxError("no @domain in angle-addr");
      }
      String local = localPart(items);
      pos++;
      MailAddress a = domainPart(local);
      skipCfws();
      expect('>', "angle-addr not closed with '>'");
      return a;
    }

    /** obs-route = obs-domain-list ":" ; the route is dropped (RFC 5322 4.4). */
    private void obsRoute() throws SyntaxError {
      while (true) {
        skipCfws();
        if (pos >= s.length()) {
          throw new SyntaxError("unterminated route");
        }
        char c = s.charAt(pos);
        if (c == ',') {
          pos++;
        } else if (c == '@') {
          pos++;
          domainText();
        } else if (c == ':') {
          pos++;
          return;
        } else {
          throw new SyntaxError("malformed route");
        }
      }
    }

    /** Reads the domain after '@' and builds the address; a domain that is no host name is a problem. */
    private MailAddress domainPart(String local) throws SyntaxError {
      String d = domainText();
      if (d.startsWith("[")) {
        String literal = d.replace(" ", "").replace("\t", "");
        if (MailAddress.addressLiteral(literal).isEmpty()) {
          problems.add("malformed address literal: " + abbreviate(literal));
          return null;
        }
        return new MailAddress(local, literal);
      }
      MailAddress.DomainCheck check = MailAddress.checkDomain(d);
      if (check.domain() == null) {
        problems.add(check.problem() + ": " + abbreviate(d));
        return null;
      }
      return new MailAddress(local, check.domain());
    }

    /** domain = dot-atom / domain-literal / obs-domain, returned without CFWS. */
    private String domainText() throws SyntaxError {
      skipCfws();
      if (pos < s.length() && s.charAt(pos) == '[') {
        int start = pos++;
        while (pos < s.length() && s.charAt(pos) != ']') {
          char c = s.charAt(pos);
          if (c == '[' || c == '\\') {
            throw new SyntaxError("malformed domain-literal");
          }
          pos++;
        }
        expect(']', "domain-literal not closed");
        return s.substring(start, pos).replace("\r", "").replace("\n", "");
      }
      StringBuilder sb = new StringBuilder();
      boolean expectAtom = true;
      while (true) {
        skipCfws();
        if (pos >= s.length()) {
          break;
        }
        char c = s.charAt(pos);
        if (expectAtom && MailAddress.isAtext(c)) {
          int start = pos;
          while (pos < s.length() && MailAddress.isAtext(s.charAt(pos))) {
            pos++;
          }
          sb.append(s, start, pos);
          expectAtom = false;
        } else if (!expectAtom && c == '.') {
          sb.append('.');
          pos++;
          expectAtom = true;
        } else {
          break;
        }
      }
      if (sb.length() == 0) {
        throw new SyntaxError("domain expected");
      }
      if (expectAtom) {
        throw new SyntaxError("domain ends with '.'");
      }
      return sb.toString();
    }

    /** Words and dots up to the next special; CFWS between them is skipped. */
    private List<Item> items() throws SyntaxError {
      List<Item> items = new ArrayList<>(4);
      while (true) {
        skipCfws();
        if (pos >= s.length()) {
          return items;
        }
        char c = s.charAt(pos);
        int start = pos;
        if (c == '"') {
          String text = quotedString();
          items.add(new Item(false, text, s.substring(start, pos), start, pos));
        } else if (c == '.') {
          pos++;
          items.add(new Item(true, ".", ".", start, pos));
        } else if (MailAddress.isAtext(c)) {
          while (pos < s.length() && MailAddress.isAtext(s.charAt(pos))) {
            pos++;
          }
          String atom = s.substring(start, pos);
          items.add(new Item(false, atom, atom, start, pos));
        } else {
          return items;
        }
      }
    }

    /** local-part = dot-atom / quoted-string / obs-local-part: word *("." word), as written less CFWS. */
    private String localPart(List<Item> items) throws SyntaxError {
      if (items.isEmpty()) {
        throw new SyntaxError("empty local-part");
      }
      StringBuilder sb = new StringBuilder();
      boolean expectWord = true;
      for (Item it : items) {
        if (it.dot() == expectWord) {
          throw new SyntaxError("malformed local-part");
        }
        sb.append(it.raw());
        expectWord = it.dot();
      }
      if (expectWord) {
        throw new SyntaxError("local-part ends with '.'");
      }
      return sb.toString();
    }

    /** phrase / obs-phrase: words joined by one space; dots kept; quotes removed. */
    private String phrase(List<Item> items) throws SyntaxError {
      if (items.get(0).dot()) {
        throw new SyntaxError("display name starts with '.'");
      }
      StringBuilder sb = new StringBuilder();
      int prevEnd = -1;
      for (Item it : items) {
        if (sb.length() > 0 && it.start() > prevEnd && !it.dot()) {
          sb.append(' ');
        }
        sb.append(it.text());
        prevEnd = it.end();
      }
      return sb.toString();
    }

    /** quoted-string, returning its content with quoted-pairs resolved. */
    private String quotedString() throws SyntaxError {
      pos++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '"') {
          pos++;
          return sb.toString();
        }
        if (c == '\\') {
          if (pos + 1 >= s.length()) {
            break;
          }
          sb.append(s.charAt(pos + 1));
          pos += 2;
          continue;
        }
        if (c != '\r' && c != '\n') {
          sb.append(c);
        }
        pos++;
      }
      throw new SyntaxError("unterminated quoted string");
    }

    /** CFWS: blanks, CR, LF and (nested) comments. */
    private void skipCfws() throws SyntaxError {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          pos++;
        } else if (c == '(') {
          skipComment();
        } else {
          return;
        }
      }
    }

    private void skipComment() throws SyntaxError {
      int start = pos;
      int depth = 0;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\\') {
          pos += 2;
          continue;
        }
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0) {
            pos++;
            return;
          }
        }
        pos++;
      }
      pos = start;
      throw new SyntaxError("unterminated comment");
    }

    private void expect(char c, String message) throws SyntaxError {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw new SyntaxError(message);
      }
      pos++;
    }

    private void add(String displayName, MailAddress address, String group) {
      if (address != null) {
        mailboxes.add(new Mailbox(displayName, address, group));
      }
    }

    private static String abbreviate(String d) {
      return d.length() <= 80 ? d : d.substring(0, 77) + "...";
    }
  }
}
