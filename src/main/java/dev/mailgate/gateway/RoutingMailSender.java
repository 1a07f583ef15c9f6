package dev.mailgate.gateway;

import java.time.Instant;

/**
 * Sends forwards and bounces through one sender (SES) and relays through another (SMTP). Thread-safe
 * when both are.
 */
public final class RoutingMailSender implements MailSender {
  private final MailSender ses;
  private final MailSender smtp;

  public RoutingMailSender(MailSender ses, MailSender smtp) {
    this.ses = ses;
    this.smtp = smtp;
  }

  @Override
  public String forward(Forward mail, Instant deadline) throws SendException {
    return ses.forward(mail, deadline);
  }

  @Override
  public String relay(Relay mail, Instant deadline) throws SendException {
    return smtp.relay(mail, deadline);
  }

  @Override
  public String bounce(Bounce mail, Instant deadline) throws SendException {
    return ses.bounce(mail, deadline);
  }
}
