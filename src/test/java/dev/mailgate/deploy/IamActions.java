package dev.mailgate.deploy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IAM actions of the services the template uses, with the resource types each accepts (from the Service
 * Authorization Reference, through cfn-lint's data; src/test/resources/aws/iam-actions-subset.json).
 */
final class IamActions {
  private final Map<String, Map<String, List<String>>> services;

  @SuppressWarnings("unchecked")
  private IamActions(Map<String, Object> data) {
    this.services = (Map<String, Map<String, List<String>>>) (Object) data.get("services");
  }

  static IamActions load(Path file) throws IOException {
    return new IamActions(JSON.std.mapFrom(Files.readAllBytes(file)));
  }

  /** Whether the data covers this action's service (others are not checked). */
  boolean knowsService(String action) {
    int colon = action.indexOf(':');
    return colon > 0 && services.containsKey(action.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  boolean exists(String action) {
    int colon = action.indexOf(':');
    Map<String, List<String>> svc = services.get(action.substring(0, colon).toLowerCase(Locale.ROOT));
    return svc != null && svc.containsKey(action.substring(colon + 1).toLowerCase(Locale.ROOT));
  }

  /** Whether the action accepts some resource type, i.e. a policy can and should name its resources. */
  boolean takesResources(String action) {
    int colon = action.indexOf(':');
    Map<String, List<String>> svc = services.get(action.substring(0, colon).toLowerCase(Locale.ROOT));
    List<String> r = svc == null ? null : svc.get(action.substring(colon + 1).toLowerCase(Locale.ROOT));
    return r != null && !r.isEmpty();
  }
}
