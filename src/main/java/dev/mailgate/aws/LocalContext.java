package dev.mailgate.aws;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A Lambda {@link Context} for running the handlers outside Lambda (the CLI, tests). */
public final class LocalContext implements Context {
  private final String requestId = UUID.randomUUID().toString();
  private final long end;
  private final int timeoutMillis;
  private final PrintStream log;

  /** A context whose invocation ends {@code timeoutMillis} from now, logging to {@code log}. */
  public LocalContext(int timeoutMillis, PrintStream log) {
    this.timeoutMillis = timeoutMillis;
    this.end = System.nanoTime() + timeoutMillis * 1_000_000L;
    this.log = log;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/local/mailgate";
  }

  @Override
  public String getLogStreamName() {
    return "local";
  }

  @Override
  public String getFunctionName() {
    return "mailgate-local";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:local:000000000000:function:mailgate-local";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) Math.max(0, (end - System.nanoTime()) / 1_000_000L);
  }

  @Override
  public int getMemoryLimitInMB() {
    return (int) (Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        log.print(message);
      }

      @Override
      public void log(byte[] message) {
        log.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }

  public int timeoutMillis() {
    return timeoutMillis;
  }
}
