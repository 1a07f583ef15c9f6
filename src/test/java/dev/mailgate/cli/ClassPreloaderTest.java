package dev.mailgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preload list (bench/preload-list.sh) names classes that exist, and none the local path must not load. */
class ClassPreloaderTest {
  @Test
  void theListNamesTheLocalPathsClassesAndNoneThatAreGone() {
    List<String> names = ClassPreloader.classes();
    assertThat(names).hasSizeGreaterThan(300)
        .contains("picocli.CommandLine", "dev.mailgate.gateway.Gateway", "dev.mailgate.policy.PolicyConfigParser");
    List<String> missing = new ArrayList<>();
    for (String n : names) {
      try {
        Class.forName(n, false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(n);
      }
    }
    assertThat(missing).as("classes renamed or removed: run bench/preload-list.sh").isEmpty();
  }

  @Test
  void theLocalPathLoadsNeitherTheAwsSdkNorJakartaMail() {
    // The list is what the README's main command loaded: offline, nothing is relayed or sent to AWS.
    assertThat(ClassPreloader.classes()).noneMatch(n -> n.startsWith("software.amazon.")
        || n.startsWith("jakarta.") || n.startsWith("org.eclipse.angus."));
  }

  @Test
  void picocliComesFirstFromTheEndThenTheRest() {
    List<String> names = ClassPreloader.classes();
    int firstOther = 0;
    while (names.get(firstOther).startsWith("picocli.") || names.get(firstOther).startsWith("dev.mailgate.cli.")) {
      firstOther++;
    }
    assertThat(firstOther).isGreaterThan(50);
    assertThat(names.get(firstOther - 1)).isEqualTo("dev.mailgate.cli.Main");
    assertThat(names.subList(firstOther, names.size())).noneMatch(n -> n.startsWith("picocli."));
  }
}
