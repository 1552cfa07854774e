package dev.socnet.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person at a browser: a headless Chromium from Debian ({@code /usr/bin/chromium}, driven through
 * {@code /usr/bin/chromedriver}, both installed by {@code ./socnet}), opened on the web client. Controls
 * are found as a person finds them — by their label or caption — so a control without a label cannot
 * be used here. Every wait is explicit and bounded ({@link #WAIT}).
 *
 * <p>Both paths are given to Selenium, so Selenium Manager never runs and nothing is downloaded.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Longest wait for something to show (a page, an API answer): generous for a busy 2-core machine. */
    static final Duration WAIT = Duration.ofSeconds(15);

    static final int WIDTH = 1280;
    static final int HEIGHT = 900;

    private final ChromeDriver driver;
    private final String base;

    private Browser(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /**
     * Starts a browser for the web client at {@code http://127.0.0.1:port/}.
     *
     * @throws AssertionError naming the package to install when Chromium or its driver is missing
     */
    static Browser open(int port) {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Debian's headless Chromium is needed: %s and %s must exist. Install them with "
                        + "`apt-get install chromium chromium-driver` (./socnet test installs them).", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: tests run as root, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + WIDTH + "," + HEIGHT, "--lang=ru-RU", "--no-first-run",
                "--disable-background-networking", "--disable-extensions", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), "http://127.0.0.1:" + port);
    }

    /** Opens a route of the client, e.g. {@code "/login"} (a fresh page load). */
    void open(String route) {
        driver.get(base + "/#" + route);
        waitForHeading();
    }

    void reload() {
        driver.navigate().refresh();
        waitForHeading();
    }

    /** Types into the control labelled {@code label} (exact label text), replacing what was there. */
    void type(String label, String text) {
        WebElement control = control(label);
        control.clear();
        control.sendKeys(text);
    }

    /** The control that {@code <label for>} with this exact text names, once visible. */
    WebElement control(String label) {
        WebElement labelElement = waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//label[normalize-space()=" + xpathLiteral(label) + "]")));
        String id = labelElement.getAttribute("for");
        assertThat(id).as("label '%s' names its control", label).isNotBlank();
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    /** Clicks the button or link whose caption is exactly {@code caption}. */
    void click(String caption) {
        waitUntil(ExpectedConditions.elementToBeClickable(By.xpath(clickable(caption)))).click();
    }

    /** Clicks the button or link captioned {@code caption} inside the list item showing {@code itemText}. */
    void clickInItem(String itemText, String caption) {
        String item = "//li[contains(., " + xpathLiteral(itemText) + ")]";
        String literal = xpathLiteral(caption);
        waitUntil(ExpectedConditions.elementToBeClickable(By.xpath(item + "//button[normalize-space()=" + literal + "] | "
                + item + "//a[normalize-space()=" + literal + "]"))).click();
    }

    /** Logs out with the header's button when someone is logged in in this browser. */
    void logOutIfLoggedIn() {
        driver.findElements(By.xpath(clickable("Выйти"))).stream().filter(WebElement::isDisplayed).findFirst()
                .ifPresent(button -> {
                    button.click();
                    new WebDriverWait(driver, WAIT).until(d -> !visibleText().contains("Выйти"));
                });
    }

    /** Waits until the page shows {@code text}, up to {@code timeout}. */
    void waitForText(String text, Duration timeout) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .withMessage(() -> "the page never showed '" + text + "'; it shows:\n" + visibleText())
                .until(d -> visibleText().contains(text));
    }

    void waitForText(String text) {
        waitForText(text, WAIT);
    }

    void waitForNoText(String text) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
                .withMessage(() -> "the page still shows '" + text + "':\n" + visibleText())
                .until(d -> !visibleText().contains(text));
    }

    /** What a person sees in the page's main area, as Selenium renders visible text. */
    String visibleText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** The error shown next to the control labelled {@code label} (in the same field), or "". */
    String errorOf(String label) {
        WebElement field = control(label).findElement(By.xpath("./ancestor::div[label][1]"));
        return field.findElement(By.cssSelector(".error")).getText().strip();
    }

    /** The visible text of the element the CSS selector finds. */
    String textOf(String cssSelector) {
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(cssSelector))).getText();
    }

    /** Presses End on the page, as a person does to get to the bottom of a long list. */
    void scrollToEnd() {
        new Actions(driver).sendKeys(Keys.END).perform();
    }

    /** Presses a key in the control labelled {@code label}, e.g. Enter to submit its form. */
    void press(String label, Keys key) {
        control(label).sendKeys(key);
    }

    /** The visible text of the list item (a post, a message) that shows {@code text}. */
    String itemText(String text) {
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//li[contains(., " + xpathLiteral(text) + ")]"))).getText();
    }

    /** Resizes the window's viewport to {@code width} CSS pixels wide. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        new WebDriverWait(driver, WAIT).until(d -> viewportWidth() <= width);
    }

    long viewportWidth() {
        return ((Number) Objects.requireNonNull(script("return document.documentElement.clientWidth"))).longValue();
    }

    /** Width of the page's content: wider than the viewport means a sideways scroll bar. */
    long contentWidth() {
        return ((Number) Objects.requireNonNull(script("return document.documentElement.scrollWidth"))).longValue();
    }

    private Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    /**
     * Saves what the window shows into {@code NAME.png}: under {@code target/ui/} of the module, or into the
     * repository's {@code docs/ui/} (the README shows these) when the environment has
     * {@code SOCNET_UI_SCREENSHOTS=docs}, so that an ordinary test run leaves the working tree clean.
     */
    void screenshot(String name) {
        Path target = screenshots().resolve(name + ".png");
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private void waitForHeading() {
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
    }

    private <T> T waitUntil(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until(condition);
    }

    private static String clickable(String caption) {
        String literal = xpathLiteral(caption);
        return "//button[normalize-space()=" + literal + "] | //a[normalize-space()=" + literal + "]";
    }

    /**
     * {@code target/ui} of the working directory (the module under Maven), or with
     * {@code SOCNET_UI_SCREENSHOTS=docs} the repository's docs/ui, found upwards from it.
     */
    private static Path screenshots() {
        if (!"docs".equals(System.getenv("SOCNET_UI_SCREENSHOTS"))) {
            return Path.of("target", "ui").toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("socnet")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir.resolve("docs/ui");
            }
        }
        throw new IllegalStateException("no socnet checkout above " + Path.of("").toAbsolutePath());
    }

    private static String xpathLiteral(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + String.join("', \"'\", '", List.of(text.split("'", -1))) + "')";
    }
}
