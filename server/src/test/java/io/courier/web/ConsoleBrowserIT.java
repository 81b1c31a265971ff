package io.courier.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.CourierClient;
import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The support console in a real browser: headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code .ci/run} installs) driven by Selenium, against a node. A customer
 * on the Java client writes over TCP before (pulled by an earlier session of the agent) and after
 * an agent signs in on the page; the page lists the conversation from CONVERSATIONS with both
 * unread; opening it shows the message's rich text rendered (not as markup) and marks it read,
 * which the customer sees as a read receipt; the agent replies from the page, the customer receives
 * the reply, has it unread in its own list, and reads it, and the page shows the reply read. In an
 * order's group (docs/groups.md), which a business creates on the event bus with the agent, the
 * customer and a merchant, the customer's C2G shows as unread in the group's entry; opening the
 * group shows each message's sender and marks it read (the group's read position on the server),
 * and the agent's reply reaches the customer as a group message. Screenshots of each step, at a
 * laptop's and a phone's width, go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final Dimension LAPTOP = new Dimension(1280, 800);
  private static final Dimension PHONE = new Dimension(390, 844);

  private static Vertx vertx;
  private static TestNode node;
  private static Tokens tokens;
  private static CourierClient javaClient;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    vertx = Vertx.vertx();
    node = TestNode.start(vertx);
    tokens = new Tokens(vertx);
    javaClient = new CourierClient(vertx);
    Files.createDirectories(SCREENSHOTS);
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(System.getProperty("courier.chromium", "/usr/bin/chromium"))
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,800");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                Path.of(System.getProperty("courier.chromedriver", "/usr/bin/chromedriver"))
                    .toFile())
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (javaClient != null) {
      javaClient.close().await();
    }
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  @Test
  void anAgentReceivesAMessageFromAJavaClientAndRepliesFromThePage() throws IOException {
    String agent = "agent-" + RUN;
    String customer = "customer-" + RUN;
    TestSession phone = TestSession.login(javaClient, node, tokens, customer, 101);
    JsonObject before = phone.c2c(agent, 301, "before-" + RUN, "Hello?");
    assertEquals(0, before.getInteger("code"), before.encode());
    // pulled and acknowledged by an earlier session of the agent: only the server's list has it
    TestSession earlier = TestSession.login(javaClient, node, tokens, agent, 301);
    JsonObject pulled = earlier.pull(null, null);
    assertEquals(
        before.getString("msgid"), pulled.getJsonArray("msgs").getJsonObject(0).getString("msgid"));
    assertEquals(1, earlier.offlineAck(before.getString("msgid")).getInteger("removed"));
    earlier.close();

    signIn(agent, "1-sign-in");

    String content = "<font color=\"red\">my order 42</font> has not arrived <shake />";
    JsonObject sent =
        phone.request(
            Command.C2C,
            new JsonObject()
                .put("to_uid", agent)
                .put("to_appcode", 301)
                .put("cmid", "order-42-" + RUN)
                .put("msgtype", 1)
                .put("content", content));
    assertEquals(0, sent.getInteger("code"), sent.encode());

    By conversation = By.cssSelector("#conversations li[data-peer='" + customer + "']");
    waitUntil(conversation, "has not arrived");
    WebElement entry = browser.findElement(conversation);
    assertEquals("2", entry.findElement(By.className("unread")).getText(), "unread count");
    assertEquals("2", unread(conversation), "unread count");
    screenshot("2-new-message-laptop");

    entry.click();
    By message = By.cssSelector("#messages li[data-msgid='" + sent.getString("msgid") + "']");
    WebElement bubble = wait(message);
    WebElement font = bubble.findElement(By.cssSelector("span.rt-font"));
    assertEquals("my order 42", font.getText());
    assertEquals("rgba(255, 0, 0, 1)", font.getCssValue("color"));
    assertFalse(bubble.getText().contains("<font"), "rich text rendered, not shown as markup");
    assertEquals(1, bubble.findElements(By.className("rt-shake")).size());
    JsonObject receipt = phone.nextPush();
    assertEquals("read", receipt.getString("kind"), receipt.encode());
    assertEquals(agent, receipt.getString("from_uid"));
    assertEquals(sent.getString("msgid"), receipt.getString("content"), "read up to the last one");
    waitFor(() -> "0".equals(unread(conversation)), "an open conversation is read");
    assertEquals(0, conversationWith(phone, agent).getInteger("unread"));
    assertEquals("read", conversationWith(phone, agent).getJsonObject("last").getString("state"));
    screenshot("3-conversation-laptop");

    type(By.id("reply"), "Sorry! <font color=\"blue\">A driver</font> is on the way.");
    browser.findElement(By.id("send")).click();
    WebElement mine = wait(By.cssSelector("#messages li.mine[data-state='sent']"));
    assertTrue(mine.getText().contains("A driver is on the way."), mine.getText());
    assertTrue(mine.getText().contains("sent"), mine.getText());

    JsonObject reply = phone.nextPush();
    assertEquals(agent, reply.getString("from_uid"));
    assertEquals(301, reply.getInteger("from_appcode"));
    String replyId = reply.getString("msgid");
    assertEquals(mine.getAttribute("data-msgid"), replyId);
    assertEquals(
        "Sorry! <font color=\"blue\">A driver</font> is on the way.", reply.getString("content"));
    assertEquals(1, conversationWith(phone, agent).getInteger("unread"), "the reply is unread");
    screenshot("4-replied-laptop");

    JsonObject read =
        phone.request(
            Command.READ,
            new JsonObject().put("peer_uid", agent).put("peer_appcode", 301).put("upto", replyId));
    assertEquals(0, read.getInteger("code"), read.encode());
    assertEquals(0, conversationWith(phone, agent).getInteger("unread"));
    By readReply = By.cssSelector("#messages li.mine[data-msgid='" + replyId + "']");
    waitFor(() -> "read".equals(browser.findElement(readReply).getAttribute("data-state")), "read");
    assertTrue(browser.findElement(readReply).getText().contains("read"));
    screenshot("5-reply-read-laptop");

    browser.manage().window().setSize(PHONE);
    screenshot("6-conversation-phone");
    browser.findElement(By.id("back")).click();
    wait(conversation);
    screenshot("7-list-phone");
    List<WebElement> panes = browser.findElements(By.cssSelector("#conversation"));
    assertFalse(panes.get(0).isDisplayed(), "a phone shows the list or the conversation");
    phone.close();
  }

  @Test
  void anAgentAnswersInAnOrderGroupWithTheCustomerAndAMerchant() throws IOException {
    String agent = "group-agent-" + RUN;
    String customer = "group-customer-" + RUN;
    String groupId = "order-77-" + RUN;
    JsonObject created =
        business(
            Addresses.GROUP_CREATE,
            new JsonObject()
                .put("group_id", groupId)
                .put("title", "Order 77")
                .put(
                    "members",
                    new JsonArray()
                        .add(new JsonObject().put("uid", agent).put("appcode", 301))
                        .add(new JsonObject().put("uid", customer).put("appcode", 101))
                        .add(new JsonObject().put("uid", "merchant-" + RUN).put("appcode", 201))));
    assertEquals(0, created.getInteger("code"), created.encode());
    TestSession phone = TestSession.login(javaClient, node, tokens, customer, 101);
    signIn(agent, "group-1-sign-in");

    By group = By.cssSelector("#conversations li[data-group='" + groupId + "']");
    waitUntil(group, "Order 77");
    assertEquals("0", unread(group), "a new member has nothing to read");
    assertTrue(browser.findElement(group).findElement(By.className("group-marker")).isDisplayed());
    JsonObject sent =
        phone.request(
            Command.C2G,
            new JsonObject()
                .put("group_id", groupId)
                .put("cmid", "order-77-" + RUN)
                .put("msgtype", 1)
                .put("content", "Is <font color=\"red\">order 77</font> on its way?"));
    assertEquals(0, sent.getInteger("code"), sent.encode());
    waitFor(() -> "1".equals(unread(group)), "the customer's group message is unread");
    assertTrue(
        browser.findElement(group).getText().contains(customer + ": Is order 77 on its way?"));
    screenshot("group-2-unread-laptop");

    browser.findElement(group).click();
    WebElement bubble =
        wait(By.cssSelector("#messages li[data-msgid='" + sent.getString("msgid") + "']"));
    assertEquals(customer, bubble.findElement(By.className("sender")).getText(), "who wrote it");
    assertEquals("order 77", bubble.findElement(By.cssSelector("span.rt-font")).getText());
    assertFalse(bubble.getText().contains("<font"), "rich text rendered, not shown as markup");
    assertTrue(browser.findElement(By.id("peer-title")).getText().contains("Order 77"));
    waitFor(() -> "0".equals(unread(group)), "an open group is read");
    waitFor(
        () -> sent.getString("msgid").equals(readUpto(groupId, agent)),
        "the agent's read position in the group on the server");
    screenshot("group-3-open-laptop");

    type(By.id("reply"), "A driver picks <font color=\"blue\">order 77</font> up now.");
    browser.findElement(By.id("send")).click();
    WebElement mine = wait(By.cssSelector("#messages li.mine[data-state='sent']"));
    JsonObject reply = phone.nextPush();
    assertEquals("c2g", reply.getString("kind"), reply.encode());
    assertEquals(groupId, reply.getString("group_id"));
    assertEquals(agent, reply.getString("from_uid"));
    assertEquals(301, reply.getInteger("from_appcode"));
    assertEquals(mine.getAttribute("data-msgid"), reply.getString("msgid"));
    assertEquals(
        "A driver picks <font color=\"blue\">order 77</font> up now.", reply.getString("content"));
    JsonObject customersEntry = groupEntry(phone, groupId);
    assertEquals(1, customersEntry.getInteger("unread"), "the reply is unread for the customer");
    assertEquals("Order 77", customersEntry.getString("title"));
    screenshot("group-4-replied-laptop");

    JsonObject thanks =
        phone.request(
            Command.C2G,
            new JsonObject()
                .put("group_id", groupId)
                .put("cmid", "order-77-thanks-" + RUN)
                .put("msgtype", 1)
                .put("content", "Thanks!"));
    assertEquals(0, thanks.getInteger("code"), thanks.encode());
    wait(By.cssSelector("#messages li[data-msgid='" + thanks.getString("msgid") + "']"));
    waitFor(
        () -> thanks.getString("msgid").equals(readUpto(groupId, agent)),
        "a message that arrives in the open group is read at once");
    assertEquals("0", unread(group));

    browser.manage().window().setSize(PHONE);
    screenshot("group-5-open-phone");
    browser.findElement(By.id("back")).click();
    wait(group);
    screenshot("group-6-list-phone");
    phone.close();
  }

  /** Opens the console at a laptop's width and signs {@code agent} in on the support app, 301. */
  private static void signIn(String agent, String screenshot) throws IOException {
    browser.manage().window().setSize(LAPTOP);
    browser.get("http://127.0.0.1:" + node.httpPort() + "/console/");
    type(By.id("uid"), agent);
    WebElement appcode = browser.findElement(By.id("appcode"));
    appcode.clear();
    appcode.sendKeys("301");
    type(By.id("token"), tokens.valid(agent, 301));
    screenshot(screenshot);
    browser.findElement(By.id("signin-button")).click();
    waitUntil(By.id("status"), "online as " + agent);
  }

  /** A business's request on the event bus, as a business JVM in the cluster makes it. */
  private static JsonObject business(String address, JsonObject body) {
    return vertx
        .eventBus()
        .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(WAIT.toMillis()))
        .await()
        .body();
  }

  /** {@code member}'s read position in the group, from {@code courier.group.info}. */
  private static String readUpto(String groupId, String member) {
    JsonObject info = business(Addresses.GROUP_INFO, new JsonObject().put("group_id", groupId));
    assertEquals(0, info.getInteger("code"), info.encode());
    return info.getJsonObject("group").getJsonArray("members").stream()
        .map(JsonObject.class::cast)
        .filter(m -> member.equals(m.getString("uid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(member + " is no member: " + info))
        .getString("read_upto");
  }

  /** The group's entry in {@code session}'s CONVERSATIONS list (over TCP). */
  private static JsonObject groupEntry(TestSession session, String groupId) {
    return entry(session, "group_id", groupId);
  }

  /** The customer's entry for {@code peer} in its CONVERSATIONS list (over TCP). */
  private static JsonObject conversationWith(TestSession session, String peer) {
    return entry(session, "peer_uid", peer);
  }

  /** The entry of {@code session}'s CONVERSATIONS list whose {@code field} is {@code value}. */
  private static JsonObject entry(TestSession session, String field, String value) {
    JsonObject page = session.request(Command.CONVERSATIONS, new JsonObject().put("limit", 10));
    assertEquals(0, page.getInteger("code"), page.encode());
    return page.getJsonArray("convs").stream()
        .map(JsonObject.class::cast)
        .filter(c -> value.equals(c.getString(field)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no conversation with " + value + ": " + page));
  }

  /** Waits (bounded) until the page satisfies {@code condition}. */
  private static void waitFor(BooleanSupplier condition, String what) {
    new WebDriverWait(browser, WAIT).withMessage(what).until(b -> condition.getAsBoolean());
  }

  /** The unread count of a conversation in the list (its badge is hidden at 0). */
  private static String unread(By conversation) {
    return browser
        .findElement(conversation)
        .findElement(By.className("unread"))
        .getAttribute("data-count");
  }

  private static void type(By field, String text) {
    WebElement element = browser.findElement(field);
    element.clear();
    element.sendKeys(text);
  }

  private static WebElement wait(By element) {
    return new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(element));
  }

  private static void waitUntil(By element, String text) {
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(element, text));
  }

  private static void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }
}
