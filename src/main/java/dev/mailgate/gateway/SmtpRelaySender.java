package dev.mailgate.gateway;

import dev.mailgate.policy.PolicyConfig;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Relays messages to an SMTP server with Angus Mail, sending the given bytes exactly as they are (no
 * MIME re-serialization: the message object only carries them), with the envelope given explicitly:
 * MAIL FROM and RCPT TO never come from header fields. STARTTLS required, optional or off per relay, SMTP
 * AUTH when a username is configured. Forwards and bounces are not its job. Thread-safe: each call opens
 * its own connection.
 */
public final class SmtpRelaySender implements MailSender {

  @Override
  public String relay(Relay m, Instant deadline) throws SendException {
    PolicyConfig.Relay r = m.relay();
    long remaining = Duration.between(Instant.now(), deadline).toMillis();
    if (remaining <= 0) {
      throw new SendException(SendException.Kind.TRANSIENT, "deadline reached before relaying");
    }
    long timeout = Math.min(r.timeoutSeconds() * 1000L, remaining);
    Properties p = new Properties();
    p.put("mail.smtp.host", r.host());
    p.put("mail.smtp.port", Integer.toString(r.port()));
    p.put("mail.smtp.connectiontimeout", Long.toString(timeout));
    p.put("mail.smtp.timeout", Long.toString(timeout));
    p.put("mail.smtp.writetimeout", Long.toString(timeout));
    p.put("mail.smtp.starttls.enable", Boolean.toString(r.startTls() != PolicyConfig.StartTls.NONE));
    p.put("mail.smtp.starttls.required", Boolean.toString(r.startTls() == PolicyConfig.StartTls.REQUIRED));
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.auth", Boolean.toString(r.username() != null));
    if (r.heloName() != null) {
      p.put("mail.smtp.localhost", r.heloName());
    }
    Session session = Session.getInstance(p);
    Address[] rcpt = new Address[m.rcptTo().size()];
    try {
      for (int i = 0; i < rcpt.length; i++) {
        rcpt[i] = new InternetAddress(m.rcptTo().get(i), false);
      }
    } catch (AddressException e) {
      throw new SendException(SendException.Kind.PERMANENT, "bad recipient address: " + e.getMessage(), e);
    }
    RawSmtpMessage message = new RawSmtpMessage(session, m.raw(), m.mailFrom());
    try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
      t.connect(r.host(), r.port(), r.username(), r.username() == null ? null : m.password());
      t.sendMessage(message, rcpt);
      String reply = t.getLastServerResponse();
      return reply == null ? "relayed" : reply.strip();
    } catch (SMTPSendFailedException e) {
      throw classify(e.getReturnCode(), e);
    } catch (SendFailedException e) {
      // Some or all recipients refused (Angus sends to all or none): the codes of the refusals decide.
      throw classify(highestCode(e), e);
    } catch (AuthenticationFailedException e) {
      // Wrong credentials: trying again will not help until the configuration changes.
      throw new SendException(SendException.Kind.PERMANENT, "relay " + m.relayName() + ": " + describe(e), e);
    } catch (MessagingException e) {
      // Connection refused, timeout, TLS trouble before the message was accepted.
      throw new SendException(SendException.Kind.TRANSIENT, "relay " + m.relayName() + ": " + describe(e), e);
    }
  }

  private static SendException classify(int code, MessagingException e) {
    String msg = describe(e);
    if (code >= 500 && code < 600) {
      return new SendException(SendException.Kind.PERMANENT, "relay refused (" + code + "): " + msg, e);
    }
    return new SendException(SendException.Kind.TRANSIENT, "relay failed" + (code > 0 ? " (" + code + ")" : "")
        + ": " + msg, e);
  }

  private static int highestCode(MessagingException e) {
    int code = 0;
    Exception next = e.getNextException();
    for (int guard = 0; next != null && guard < 1000; guard++) {
      if (next instanceof SMTPAddressFailedException) {
        code = Math.max(code, ((SMTPAddressFailedException) next).getReturnCode());
      }
      next = next instanceof MessagingException ? ((MessagingException) next).getNextException() : null;
    }
    return code;
  }

  private static String describe(MessagingException e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()).strip());
    Throwable c = e.getCause();
    if (c != null && c != e && c.getMessage() != null) {
      sb.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage().strip()).append(')');
    }
    return sb.toString();
  }

  @Override
  public String forward(Forward mail, Instant deadline) throws SendException {
    throw new SendException(SendException.Kind.PERMANENT, "forwards go through SES, not the SMTP relay sender");
  }

  @Override
  public String bounce(Bounce mail, Instant deadline) throws SendException {
    throw new SendException(SendException.Kind.PERMANENT, "bounces go through SES, not the SMTP relay sender");
  }

  /** A message that writes the bytes it was given, untouched, and names its envelope sender. */
  static final class RawSmtpMessage extends SMTPMessage {
    private final byte[] raw;

    RawSmtpMessage(Session session, byte[] raw, String mailFrom) {
      super(session);
      this.raw = raw;
      // "<>" is how Angus sends the null reverse-path; an empty value would make it guess a sender.
      setEnvelopeFrom(mailFrom == null || mailFrom.isEmpty() ? "<>" : mailFrom);
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
      os.write(raw);
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
      os.write(raw);
    }

    @Override
    public int getSize() {
      return raw.length;
    }
  }
}
