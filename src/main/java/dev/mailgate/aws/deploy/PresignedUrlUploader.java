package dev.mailgate.aws.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * PUTs the response to CloudFormation's pre-signed S3 URL over the JDK's HttpURLConnection, the transport
 * of the SDK's url-connection client (no second HTTP stack in the jar). The SDK's request builder is not
 * used on purpose: it decodes, reorders and re-encodes query parameters, and a pre-signed URL is best sent
 * exactly as signed. The URL is signed without a content type, so an empty Content-Type header is sent, as
 * CloudFormation's own helper does. Thread-safe.
 */
public final class PresignedUrlUploader implements ResponseUploader {
  private final Duration connectTimeout;
  private final Duration readTimeout;

  public PresignedUrlUploader(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /** An uploader with short timeouts (the handler has 60 s in all). */
  public static PresignedUrlUploader create() {
    return new PresignedUrlUploader(Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  @Override
  public void put(URI url, byte[] body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
    try {
      c.setConnectTimeout((int) connectTimeout.toMillis());
      c.setReadTimeout((int) readTimeout.toMillis());
      c.setRequestMethod("PUT");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      c.setRequestProperty("Content-Type", "");
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      if (status / 100 != 2) {
        String answer = "";
        try (InputStream err = c.getErrorStream()) {
          if (err != null) {
            answer = new String(err.readNBytes(2000), StandardCharsets.UTF_8);
          }
        }
        throw new IOException("PUT of the response answered HTTP " + status + ": " + answer);
      }
      try (InputStream in = c.getInputStream()) {
        in.readAllBytes();
      }
    } finally {
      c.disconnect();
    }
  }
}
