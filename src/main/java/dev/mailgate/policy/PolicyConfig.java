package dev.mailgate.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's configuration file, parsed and validated (docs/CONFIG.md describes every field and its
 * default). Immutable; built only by {@link PolicyConfigParser}, which guarantees the cross-field rules
 * (every relay a route names exists, a forward route has a verified sender, ...).
 *
 * @param authservId the authserv-id of our Authentication-Results header fields (RFC 8601 section 2.5)
 * @param deployment this deployment's name, written in X-Mailgate-Loop to recognise our own mail
 * @param domains the domains we receive mail for, lower-case A-labels
 * @param plusSeparator the separator of plus-addressing tags ("+"), or "" for none
 * @param routes the routes, in the order written
 * @param relays the SMTP relays by name
 * @param forward how forwards are sent
 * @param rules the configured rules, first match wins
 * @param defaults the built-in rules' actions
 * @param tag how tagged messages are marked
 * @param quarantine where quarantined messages are kept
 * @param discard what discarding does to the stored object
 * @param bounce bounce settings; {@link Bounce#enabled()} false when bounces are off
 * @param arcSealing whether and how messages we send on are ARC-sealed
 * @param loop mail loop limits
 * @param sync the dispositions answered to SES in synchronous mode
 * @param statePrefix the key prefix of the delivery markers kept next to the messages
 * @param maxAttempts how many invocations a message with a temporary DNS error gets before the safe
 *     action is taken (async mode; Lambda retries an asynchronous invocation twice)
 * @param reports where DMARC aggregate reports about our domains arrive and are stored
 */
public record PolicyConfig(
    String authservId,
    String deployment,
    List<String> domains,
    String plusSeparator,
    List<Route> routes,
    Map<String, Relay> relays,
    Forward forward,
    List<Rule> rules,
    Defaults defaults,
    Tag tag,
    Quarantine quarantine,
    Discard discard,
    Bounce bounce,
    Loop loop,
    Sync sync,
    String statePrefix,
    int maxAttempts,
    ArcSealing arcSealing,
    Reports reports) {

  public PolicyConfig {
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
    relays = Map.copyOf(relays);
    rules = List.copyOf(rules);
    Objects.requireNonNull(forward, "forward");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(quarantine, "quarantine");
    Objects.requireNonNull(discard, "discard");
    Objects.requireNonNull(bounce, "bounce");
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(reports, "reports");
    Objects.requireNonNull(arcSealing, "arcSealing");
  }

  /**
   * This configuration with other storage prefixes (the deployment's environment may set them, so that
   * its IAM grants and lifecycle rules name the same prefixes the code uses). The caller checks them: they
   * must be key prefixes that do not overlap.
   */
  public PolicyConfig withStoragePrefixes(String quarantinePrefix, String newStatePrefix) {
    return new PolicyConfig(authservId, deployment, domains, plusSeparator, routes, relays, forward, rules,
        defaults, tag, new Quarantine(quarantinePrefix, quarantine.deleteOriginal()), discard, bounce, loop, sync,
        newStatePrefix, maxAttempts, arcSealing, reports);
  }

  /** STARTTLS use towards a relay. */
  public enum StartTls {
    /** Fail unless the server offers STARTTLS and the handshake succeeds. */
    REQUIRED,
    /** Use STARTTLS when offered, else send in clear. */
    OPTIONAL,
    /** Never use STARTTLS (a relay on a private link or loopback). */
    NONE
  }

  /**
   * An SMTP server mail can be relayed to.
   *
   * @param host host name or IP literal
   * @param port TCP port (25 or 587 typically)
   * @param startTls STARTTLS use
   * @param username user for SMTP AUTH, or null for no authentication
   * @param password the password given in the file, or null: then MAILGATE_RELAY_PASSWORD is used
   * @param timeoutSeconds connect and read time limit, further bounded by the invocation's deadline
   * @param heloName the name given in EHLO, or null for the local host name
   */
  public record Relay(
      String host, int port, StartTls startTls, String username, String password, int timeoutSeconds,
      String heloName) {
    @Override
    public String toString() {
      // Never print the password.
      return "Relay[" + host + ":" + port + ", starttls=" + startTls + ", user=" + username + "]";
    }
  }

  /**
   * How forwards are sent through SES.
   *
   * @param from the verified SES identity the forwarded message comes from, or null when no route forwards
   * @param fromName the display name template: {@code {name}} is the original author's display name (or
   *     address), {@code {address}} the original address, {@code {domain}} our first domain
   * @param replyTo whether the original author is put in Reply-To when the message has none
   * @param configurationSet the SES configuration set to send with, or null
   */
  public record Forward(String from, String fromName, boolean replyTo, String configurationSet) {}

  /**
   * The actions of the built-in rules.
   *
   * @param virus when SES's virus scan failed: quarantine or discard
   * @param temperror when a check had a temporary error: quarantine, tag or deliver (never permanent)
   * @param temperrorRetry whether a temporary error is first retried (later in async mode, once at once
   *     in sync mode) before {@code temperror} applies
   * @param dmarcReject when DMARC failed with disposition reject: discard, quarantine or bounce
   * @param dmarcQuarantine when DMARC failed with disposition quarantine: quarantine or tag
   * @param spam when SES's spam scan failed: deliver, tag, quarantine or discard
   * @param noRoute for a recipient no route matches: discard or bounce
   */
  public record Defaults(
      Action virus, Action temperror, boolean temperrorRetry, Action dmarcReject, Action dmarcQuarantine,
      Action spam, Action noRoute) {}

  /** @param subjectPrefix put before the Subject of tagged messages; "" for none */
  public record Tag(String subjectPrefix) {}

  /**
   * @param prefix the key prefix quarantined copies are stored under
   * @param deleteOriginal whether the inbound object is deleted once the copy exists
   */
  public record Quarantine(String prefix, boolean deleteOriginal) {}

  /** @param deleteObject whether discarding deletes the stored inbound object (else it is kept, tagged) */
  public record Discard(boolean deleteObject) {}

  /**
   * @param sender the verified address bounces come from, or null when bounces are off
   * @param explanation the text SES puts in the bounce
   */
  public record Bounce(String sender, String explanation) {
    public boolean enabled() {
      return sender != null;
    }
  }

  /**
   * ARC sealing of the messages we send on (RFC 8617 section 5.1): forwards and relays carry our ARC
   * Set, so that the next receiver, which sees SPF and DKIM broken by the forwarding, can still use our
   * results. Off unless configured.
   *
   * @param domain the d= of our ARC-Message-Signature and ARC-Seal, or null when sealing is off
   * @param selector the s= (the key record is at selector._domainkey.domain)
   * @param privateKey the private key: PKCS#8 PEM text, or {@code file:PATH} naming a PEM file
   */
  public record ArcSealing(String domain, String selector, String privateKey) {
    public static final ArcSealing OFF = new ArcSealing(null, null, null);

    public boolean enabled() {
      return domain != null;
    }

    @Override
    public String toString() {
      return enabled() ? "ArcSealing[" + domain + ", " + selector + ", key hidden]" : "ArcSealing[off]";
    }
  }

  /** @param maxReceived more Received header fields than this is a loop (RFC 5321 section 6.3) */
  public record Loop(int maxReceived) {}

  /**
   * The dispositions returned to SES in synchronous mode.
   *
   * @param byAction the disposition for each action
   * @param onError the disposition when processing failed (the object stays, tagged; see docs/GATEWAY.md)
   */
  public record Sync(Map<Action, SyncDisposition> byAction, SyncDisposition onError) {
    public Sync {
      byAction = Map.copyOf(byAction);
    }

    public SyncDisposition of(Action a) {
      return byAction.getOrDefault(a, SyncDisposition.CONTINUE);
    }
  }

  /**
   * DMARC aggregate reports received about our domains (docs/REPORTING.md, "Reports in").
   *
   * @param addresses the addresses our DMARC records' rua= name, as {@code local@domain} with the domain in
   *     lower case; empty when reports are not received
   * @param prefix the key prefix the normalised reports are stored under
   * @param deliver whether a report mail is also handled like other mail (rules, routes); when false it is
   *     only parsed and stored, and recipients other than report addresses are handled as usual
   */
  public record Reports(List<String> addresses, String prefix, boolean deliver) {
    public Reports {
      addresses = List.copyOf(addresses);
      Objects.requireNonNull(prefix, "prefix");
    }

    /** Whether {@code address} (an envelope recipient) is one of the report addresses. */
    public boolean isReportAddress(String address) {
      if (addresses.isEmpty() || address == null) {
        return false;
      }
      int at = address.lastIndexOf('@');
      if (at < 0) {
        return false;
      }
      String norm = address.substring(0, at) + "@" + address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
      for (String a : addresses) {
        // RFC 5321 section 2.4: local-parts are case-sensitive in principle; mailbox providers and
        // reporters treat them as case-insensitive, and so do we for our own report addresses.
        if (a.equalsIgnoreCase(norm)) {
          return true;
        }
      }
      return false;
    }
  }
}
