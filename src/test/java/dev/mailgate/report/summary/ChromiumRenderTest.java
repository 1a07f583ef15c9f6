package dev.mailgate.report.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary page rendered by a real browser: Debian's headless Chromium takes a screenshot (it must exist,
 * have the window's size and show the charts' colours) and dumps the DOM after rendering (the charts are
 * there, the hostile report's markup is text).
 *
 * <p>Without {@code chromium} on PATH the test fails when the environment variable CI is set (.ci/run
 * installs it), and is skipped otherwise with that reason: a developer machine may have no browser.
 */
class ChromiumRenderTest {
  static final int WIDTH = 1200;
  static final int HEIGHT = 1800;

  static Path chromium;
  @TempDir static Path tmp;
  static Path page;

  @BeforeAll
  static void findChromiumAndWriteThePage() throws IOException {
    chromium = onPath("chromium", "chromium-browser");
    if (chromium == null) {
      String why = "no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)";
      if (System.getenv("CI") != null) {
        fail(why + ", and CI is set: the rendering test must run in CI");
      }
      Assumptions.abort(why + ": skipped outside CI");
    }
    page = tmp.resolve("summary.html");
    Files.writeString(page, SummaryFixtures.html(true), StandardCharsets.UTF_8);
  }

  static Path onPath(String... names) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String name : names) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** Runs chromium headless on the page with {@code extra} arguments; returns its standard output. */
  static String run(String name, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu",
        "--hide-scrollbars", "--no-first-run", "--disable-extensions",
        "--user-data-dir=" + tmp.resolve("profile-" + name)));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add("--no-sandbox"); // Chromium refuses to run as root with its sandbox
    }
    cmd.addAll(List.of(extra));
    cmd.add(page.toUri().toString());
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within 120 s: " + Files.readString(err));
    }
    assertThat(p.exitValue()).as("chromium exit status; stderr: %s", Files.readString(err)).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void theScreenshotHasTheWindowSizeAndShowsTheCharts() throws Exception {
    Path shot = tmp.resolve("summary.png");
    run("screenshot", "--screenshot=" + shot, "--window-size=" + WIDTH + "," + HEIGHT);
    assertThat(shot).exists();
    BufferedImage img = ImageIO.read(shot.toFile());
    assertThat(img).as("a PNG").isNotNull();
    assertThat(img.getWidth()).isEqualTo(WIDTH);
    assertThat(img.getHeight()).isEqualTo(HEIGHT);
    Set<Integer> colours = new HashSet<>();
    long nonWhite = 0;
    long pass = 0;
    long failing = 0;
    int passRgb = Integer.parseInt(SummaryHtml.PASS_COLOUR.substring(1), 16);
    int failRgb = Integer.parseInt(SummaryHtml.FAIL_COLOUR.substring(1), 16);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb != 0xffffff) {
          nonWhite++;
        }
        if (rgb == passRgb) {
          pass++;
        } else if (rgb == failRgb) {
          failing++;
        }
      }
    }
    assertThat(colours.size()).as("distinct colours: not a blank page").isGreaterThan(20);
    assertThat(nonWhite).as("pixels that are not background").isGreaterThan((long) WIDTH * HEIGHT / 100);
    // The bars are filled with exactly these colours: the SVG charts were drawn.
    assertThat(pass).as("pixels of passing bars").isGreaterThan(1000);
    assertThat(failing).as("pixels of failing bars").isGreaterThan(1000);
  }

  @Test
  void theRenderedDomHasTheChartsAndNoScript() throws Exception {
    String dom = run("dom", "--dump-dom");
    assertThat(dom).contains("<svg id=\"volume-chart\"").contains("<svg id=\"failing-chart\"")
        .contains("class=\"bar-pass\"").contains("class=\"bar-fail\"");
    assertThat(SummaryHtmlTest.count(dom, "<g class=\"source\">")).isEqualTo(3);
    // The hostile org name is text in the DOM, not an element.
    assertThat(dom).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(dom.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script").doesNotContain("<img");
  }
}
