package dev.mailgate.aws.deploy;

import java.io.IOException;
import java.net.URI;

/** Delivers a custom resource response to CloudFormation. Implementations are thread-safe. */
public interface ResponseUploader {
  /**
   * PUTs {@code body} to the pre-signed {@code url}.
   *
   * @throws IOException when the PUT failed or was not answered with 2xx
   */
  void put(URI url, byte[] body) throws IOException;
}
