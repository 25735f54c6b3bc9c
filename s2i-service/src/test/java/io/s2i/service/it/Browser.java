package io.s2i.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.model.ServiceJson;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (scripts/ensure-browser.sh
 * installs both; nothing is downloaded: Selenium Manager is never asked because the driver's path
 * is given). Its host resolver maps every name but 127.0.0.1 to nothing, and its performance log
 * records every request, so a test can prove that a page asked no other host. Console errors are
 * collected; a test names the failed requests it expects (a 400 it provoked), everything else
 * fails it.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String DRIVER = "/usr/bin/chromedriver";
  final ChromeDriver driver;
  final Path downloads;
  final Path screenshots;
  private final Path profile;
  private final List<Pattern> expected = new ArrayList<>();
  private final List<String> consoleErrors = new ArrayList<>();
  private final List<String> requests = new ArrayList<>();

  Browser(Path work, Path screenshots) throws IOException {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(DRIVER))) {
      String why = "no chromium/chromedriver: run scripts/ensure-browser.sh (scripts/test.sh does)";
      if (Boolean.getBoolean("s2i.it.required")) {
        throw new AssertionError(why);
      }
      org.junit.jupiter.api.Assumptions.abort(why);
    }
    this.profile = Files.createDirectories(work.resolve("chromium-profile"));
    this.downloads = Files.createDirectories(work.resolve("downloads"));
    this.screenshots = Files.createDirectories(screenshots);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,1000", "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--disable-extensions", "--disable-client-side-phishing-detection", "--disable-domain-reliability",
        "--metrics-recording-only", "--password-store=basic", "--use-mock-keychain",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
        // Only the test's own server can be reached: any other name resolves to nothing.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
    o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false, "safebrowsing.enabled", false));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, o);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  /** A failed request the test provokes on purpose: "status 400" for a URL path matching this. */
  void expectFailedRequest(String pathRegex, int status) {
    expected.add(Pattern.compile(".*" + pathRegex + ".*status of " + status + ".*"));
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits until the page drawn for {@code path} says it is ready (or failed). */
  void waitReady(String path) {
    waitFor("page " + path + " ready", () -> path.equals(js("return document.body.dataset.ready || ''")));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  WebElement waitFind(String css) {
    WebElement[] found = new WebElement[1];
    waitFor(css, () -> {
      List<WebElement> els = all(css);
      found[0] = els.isEmpty() ? null : els.get(0);
      return found[0] != null && found[0].isDisplayed();
    });
    return found[0];
  }

  /** The element's text; pages redraw parts of themselves, so a handle gone stale is looked up again. */
  String text(String css) {
    String[] read = new String[1];
    waitFor("text of " + css, () -> {
      read[0] = find(css).getText();
      return true;
    });
    return read[0];
  }

  void type(String css, String text) {
    WebElement e = waitFind(css);
    e.clear();
    e.sendKeys(text);
  }

  /** Sets a field's value at once (long YAML: typing it key by key is slow and auto-indented by nothing). */
  void setValue(String css, String value) {
    js("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input'));",
        css, value);
  }

  /** Picks an option of a select as a user would (change event included). */
  void select(String css, String value) {
    waitFind(css);
    js("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change'));",
        css, value);
  }

  /**
   * Clicks the element as a user would. The build page redraws its buttons when the phase changes;
   * a click on a handle gone stale did not happen, so it is looked up and clicked again.
   */
  void click(String css) {
    waitFor("click on " + css, () -> {
      waitFind(css).click();
      return true;
    });
  }

  void waitFor(String what, Supplier<Boolean> condition) {
    waitFor(what, Duration.ofSeconds(60), condition);
  }

  void waitFor(String what, Duration timeout, Supplier<Boolean> condition) {
    long end = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < end) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (WebDriverException e) {
        last = e; // the page changed under the lookup: try again
      }
      sleep(50);
    }
    String shot = "";
    try {
      shot = " (screenshot " + screenshot("timed-out-" + what.replaceAll("[^A-Za-z0-9]+", "-")) + ")";
    } catch (IOException | WebDriverException e) {
      // the page is gone: nothing to show
    }
    throw new AssertionError("timed out waiting for " + what + " on " + driver.getCurrentUrl() + shot, last);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes a screenshot of the page for review. */
  Path screenshot(String name) throws IOException {
    Path file = screenshots.resolve(name + ".png");
    // The whole page, not only what the window shows: grow the window to the page for the shot.
    org.openqa.selenium.Dimension window = driver.manage().window().getSize();
    long height = (Long) js("return document.documentElement.scrollHeight");
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(window.getWidth(),
        (int) Math.min(Math.max(height + (window.getHeight() - (Long) js("return window.innerHeight")), window.getHeight()), 6000)));
    try {
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.manage().window().setSize(window);
    }
    return file;
  }

  /** Reads the browser's logs since the last call into the collected errors and requests. */
  void collect() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()
          && expected.stream().noneMatch(p -> p.matcher(e.getMessage()).matches())) {
        consoleErrors.add(e.getMessage());
      }
    }
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode m = ServiceJson.json().readTree(e.getMessage()).path("message");
        String url = m.path("params").path("request").path("url").asText();
        // chrome:// pages are the browser's own (its first, empty tab), served from inside it.
        if (m.path("method").asText().equals("Network.requestWillBeSent") && !url.startsWith("chrome://")
            && !url.startsWith("chrome-untrusted://") && !url.equals("about:blank")) {
          requests.add(url);
        }
      } catch (IOException ex) {
        throw new AssertionError(ex);
      }
    }
  }

  /** Fails on any console error the test did not expect, and on any request to another host. */
  void assertCleanAgainst(String serverUrl) {
    collect();
    List<String> errors = List.copyOf(consoleErrors);
    List<String> made = List.copyOf(requests);
    consoleErrors.clear();
    requests.clear();
    assertThat(errors).as("console errors").isEmpty();
    assertThat(made).as("requests to anything but " + serverUrl)
        .allMatch(u -> u.startsWith(serverUrl + "/") || u.startsWith("data:") || u.startsWith("blob:" + serverUrl));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
