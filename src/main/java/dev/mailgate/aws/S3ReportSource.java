package dev.mailgate.aws;

import dev.mailgate.report.summary.ReportSummary;
import dev.mailgate.report.summary.StoredReports;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads stored reports under an S3 prefix for {@code mailgate report summary s3://bucket/prefix}: lists
 * the keys (ListObjectsV2, paged) and reads the wanted ones, each at most {@code maxBytes}. Used from the
 * command line, not on the gateway's hot path. Thread-confined.
 */
public final class S3ReportSource {
  private final S3Client s3;

  public S3ReportSource(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * An S3 client for the command line: credentials from the SDK's default chain.
   *
   * @param r the region (AWS_REGION), or null for the SDK's default chain (profile)
   * @param endpoint an S3-compatible endpoint (MAILGATE_S3_ENDPOINT), or null for AWS's
   */
  public static AwsClients clients(String r, String endpoint) {
    Region region = r != null && !r.isBlank() ? Region.of(r) : DefaultAwsRegionProviderChain.builder().build().getRegion();
    return AwsClients.create(region, endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint), null,
        DefaultCredentialsProvider.builder().build(), AwsClients.Retry.standard(3));
  }

  /** Parses {@code s3://bucket/prefix} into bucket and prefix; null when it is not such a URI. */
  public static String[] parseUri(String uri) {
    if (!uri.startsWith("s3://")) {
      return null;
    }
    String rest = uri.substring(5);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    return bucket.isEmpty() ? null : new String[] {bucket, prefix};
  }

  /** Adds every wanted object under the prefix to {@code into}. */
  public void addPrefix(String bucket, String prefix, StoredReports into, long maxBytes) throws IOException {
    String token = null;
    int seen = 0;
    try {
      do {
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
        if (token != null) {
          req.continuationToken(token);
        }
        ListObjectsV2Response page = s3.listObjectsV2(req.build());
        for (S3Object o : page.contents()) {
          if (!StoredReports.wanted(o.key())) {
            continue;
          }
          if (++seen > StoredReports.MAX_FILES) {
            into.problems().add(new ReportSummary.Problem("s3://" + bucket + "/" + prefix, "more than "
                + StoredReports.MAX_FILES + " objects: the rest not read"));
            return;
          }
          if (o.size() != null && o.size() > maxBytes) {
            into.problems().add(new ReportSummary.Problem(o.key(), "larger than " + maxBytes + " bytes: not read"));
            continue;
          }
          try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(o.key()))) {
            into.add(o.key(), readAtMost(in, maxBytes));
          }
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw new IOException("s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max));
  }
}
