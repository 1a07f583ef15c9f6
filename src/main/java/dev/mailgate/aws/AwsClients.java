package dev.mailgate.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The SDK clients, built once per container: the url-connection HTTP client (no Apache or Netty), the
 * region from AWS_REGION, and an explicit retry strategy: the SDK's standard strategy (retries throttling,
 * 5xx and I/O errors with jittered exponential backoff) with {@code maxAttempts}. Every call is further
 * bounded by the invocation's deadline through a per-request API call timeout, so backoff never outlives
 * it. Immutable; the clients are thread-safe.
 */
public final class AwsClients implements AutoCloseable {
  private final S3Client s3;
  private final SesV2Client sesV2;
  private final SesClient ses;
  private final SdkHttpClient http;

  private AwsClients(S3Client s3, SesV2Client sesV2, SesClient ses, SdkHttpClient http) {
    this.s3 = s3;
    this.sesV2 = sesV2;
    this.ses = ses;
    this.http = http;
  }

  /**
   * The retry settings.
   *
   * @param maxAttempts attempts per call, the first included
   * @param baseDelay the first backoff (the SDK's default is 100 ms; tests use less)
   * @param maxDelay the longest backoff
   */
  public record Retry(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public static Retry standard(int maxAttempts) {
      return new Retry(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(5));
    }
  }

  /** Clients for the settings in {@code config}, credentials from the default chain (Lambda's role). */
  public static AwsClients create(Config config) {
    return create(Region.of(config.region()), config.s3Endpoint(), config.sesEndpoint(),
        DefaultCredentialsProvider.builder().build(), Retry.standard(config.awsMaxAttempts()));
  }

  /**
   * Clients for explicit settings (tests point them at a loopback S3Mock and a fake SES).
   *
   * @param s3Endpoint an S3 endpoint instead of AWS's (path-style addressing is then used), or null
   * @param sesEndpoint an SES endpoint instead of AWS's, or null
   */
  public static AwsClients create(Region region, URI s3Endpoint, URI sesEndpoint, AwsCredentialsProvider credentials,
      Retry retry) {
    SdkHttpClient http = UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(3))
        .socketTimeout(Duration.ofSeconds(30))
        .build();
    StandardRetryStrategy strategy = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(retry.maxAttempts())
        .backoffStrategy(BackoffStrategy.exponentialDelay(retry.baseDelay(), retry.maxDelay()))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(retry.baseDelay().multipliedBy(5),
            retry.maxDelay()))
        // The circuit breaker would stop retrying a whole container's calls after a burst of failures;
        // each message's deadline is the bound we want.
        .circuitBreakerEnabled(false)
        .build();
    ClientOverrideConfiguration override = ClientOverrideConfiguration.builder().retryStrategy(strategy).build();

    var s3b = S3Client.builder().region(region).httpClient(http).credentialsProvider(credentials)
        .overrideConfiguration(override);
    if (s3Endpoint != null) {
      s3b.endpointOverride(s3Endpoint).forcePathStyle(true);
    }
    var v2b = SesV2Client.builder().region(region).httpClient(http).credentialsProvider(credentials)
        .overrideConfiguration(override);
    var v1b = SesClient.builder().region(region).httpClient(http).credentialsProvider(credentials)
        .overrideConfiguration(override);
    if (sesEndpoint != null) {
      v2b.endpointOverride(sesEndpoint);
      v1b.endpointOverride(sesEndpoint);
    }
    return new AwsClients(s3b.build(), v2b.build(), v1b.build(), http);
  }

  public S3Client s3() {
    return s3;
  }

  public SesV2Client sesV2() {
    return sesV2;
  }

  public SesClient ses() {
    return ses;
  }

  @Override
  public void close() {
    s3.close();
    sesV2.close();
    ses.close();
    http.close();
  }
}
