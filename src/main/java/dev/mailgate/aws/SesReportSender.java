package dev.mailgate.aws;

import dev.mailgate.gateway.MailSender;
import dev.mailgate.gateway.SendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Sends aggregate report emails through SES v2 SendEmail with raw content, and nothing else (no bounces,
 * no relays), so that the report function's IAM policy grants only that. Failures are classified as
 * {@link SesMailSender} does. Thread-safe.
 */
public final class SesReportSender implements MailSender {
  private final SesV2Client sesV2;
  private final Clock clock;

  public SesReportSender(SesV2Client sesV2, Clock clock) {
    this.sesV2 = sesV2;
    this.clock = clock;
  }

  @Override
  public String forward(Forward m, Instant deadline) throws SendException {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new SendException(SendException.Kind.TRANSIENT, "deadline reached before calling SES");
    }
    var timeout = AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
    try {
      return sesV2.sendEmail(b -> b.fromEmailAddress(m.from())
          .destination(d -> d.toAddresses(m.to()))
          .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArrayUnsafe(m.raw()))))
          .overrideConfiguration(timeout)).messageId();
    } catch (SdkException e) {
      throw SesMailSender.map(e, "SES SendEmail (aggregate report)");
    }
  }

  @Override
  public String relay(Relay mail, Instant deadline) throws SendException {
    throw new SendException(SendException.Kind.PERMANENT, "the report sender relays nothing");
  }

  @Override
  public String bounce(Bounce mail, Instant deadline) throws SendException {
    throw new SendException(SendException.Kind.PERMANENT, "the report sender bounces nothing");
  }
}
