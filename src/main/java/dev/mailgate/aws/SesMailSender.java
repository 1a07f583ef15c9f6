package dev.mailgate.aws;

import dev.mailgate.gateway.MailSender;
import dev.mailgate.gateway.SendException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.BounceType;
import software.amazon.awssdk.services.ses.model.BouncedRecipientInfo;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * Forwards through SES v2 SendEmail with raw content (up to 40 MB; v1 SendRawEmail stops at 10 MB), and
 * bounces through SES v1 SendBounce (v2 has no bounce operation). Relays are not its job. Thread-safe.
 *
 * <p>Failures: throttling, 5xx and "sending paused" are transient (the SDK has already retried; the
 * invocation fails so that Lambda tries again later); other 4xx, such as MessageRejected or an unverified
 * identity, are permanent. A call that timed out after the request went out, or whose answer never came,
 * is in doubt: SES may have sent the message, so it is never repeated automatically.
 */
public final class SesMailSender implements MailSender {
  /** SES: a message may have at most 50 recipients. */
  public static final int MAX_DESTINATIONS = 50;

  private final SesV2Client sesV2;
  private final SesClient ses;
  private final Clock clock;

  public SesMailSender(SesV2Client sesV2, SesClient ses, Clock clock) {
    this.sesV2 = sesV2;
    this.ses = ses;
    this.clock = clock;
  }

  @Override
  public String forward(Forward m, Instant deadline) throws SendException {
    if (m.to().isEmpty() || m.to().size() > MAX_DESTINATIONS) {
      throw new SendException(SendException.Kind.PERMANENT, "SES takes 1 to " + MAX_DESTINATIONS
          + " destinations per message, not " + m.to().size());
    }
    var timeout = timeout(deadline);
    try {
      return sesV2.sendEmail(b -> {
        b.fromEmailAddress(m.from())
            .destination(d -> d.toAddresses(m.to()))
            .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArrayUnsafe(m.raw()))))
            .overrideConfiguration(timeout);
        if (m.configurationSet() != null) {
          b.configurationSetName(m.configurationSet());
        }
      }).messageId();
    } catch (SdkException e) {
      throw map(e, "SES SendEmail");
    }
  }

  @Override
  public String bounce(Bounce b, Instant deadline) throws SendException {
    var timeout = timeout(deadline);
    BouncedRecipientInfo[] infos = b.recipients().stream()
        .map(r -> BouncedRecipientInfo.builder().recipient(r).bounceType(BounceType.fromValue(b.bounceType())).build())
        .toArray(BouncedRecipientInfo[]::new);
    try {
      return ses.sendBounce(r -> r.originalMessageId(b.messageId()).bounceSender(b.sender())
          .explanation(b.explanation()).bouncedRecipientInfoList(infos).overrideConfiguration(timeout)).messageId();
    } catch (SdkException e) {
      throw map(e, "SES SendBounce");
    }
  }

  @Override
  public String relay(Relay mail, Instant deadline) throws SendException {
    throw new SendException(SendException.Kind.PERMANENT, "relays go over SMTP, not through SES");
  }

  private AwsRequestOverrideConfiguration timeout(Instant deadline) throws SendException {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new SendException(SendException.Kind.TRANSIENT, "deadline reached before calling SES");
    }
    return AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
  }

  /** What an SDK failure means for delivery. */
  static SendException map(SdkException e, String what) {
    if (e instanceof AwsServiceException) {
      AwsServiceException s = (AwsServiceException) e;
      int code = s.statusCode();
      String err = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      String msg = what + ": " + code + (err == null ? "" : " " + err)
          + (s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null ? ""
              : ": " + s.awsErrorDetails().errorMessage());
      if (s.isThrottlingException() || code == 429 || code >= 500 || e instanceof TooManyRequestsException
          || e instanceof LimitExceededException || e instanceof SendingPausedException) {
        return new SendException(SendException.Kind.TRANSIENT, msg + " (after retries)", e);
      }
      return new SendException(SendException.Kind.PERMANENT, msg, e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new SendException(SendException.Kind.IN_DOUBT, what + ": no answer before the deadline", e);
    }
    if (e instanceof SdkClientException) {
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof ConnectException || c instanceof UnknownHostException) {
          return new SendException(SendException.Kind.TRANSIENT, what + ": cannot connect: " + c.getMessage(), e);
        }
        if (c instanceof SocketTimeoutException) {
          return new SendException(SendException.Kind.IN_DOUBT, what + ": no answer: " + c.getMessage(), e);
        }
      }
      return new SendException(SendException.Kind.TRANSIENT, what + ": " + e.getMessage(), e);
    }
    return new SendException(SendException.Kind.PERMANENT, what + ": " + e.getMessage(), e);
  }
}
