package io.courier.push;

import io.courier.config.PushRule;
import io.courier.config.PushRules;
import io.courier.message.Kind;
import io.courier.message.Message;
import java.util.regex.Pattern;

/**
 * Whether a message wakes its receiver's app, and with what text ({@code push.rules}): the rule of
 * the receiver's appcode and the message's msgtype. A preview is the start of the content, at most
 * {@value #PREVIEW_CHARS} characters; C2C rich text is shown as its text, without markup.
 */
final class WakeRules {
  static final int PREVIEW_CHARS = 100;

  /** The markup of canonical rich text: the three elements, whose values never hold a '>'. */
  private static final Pattern MARKUP = Pattern.compile("<[^>]*>");

  private final PushRules rules;

  WakeRules(PushRules rules) {
    this.rules = rules;
  }

  /** The trigger of {@code message}, or null when its rule is {@code never}. */
  Trigger decide(Message message, Trigger.Cause cause) {
    PushRule rule = rules.of(message.toAppcode(), message.msgtype());
    if (rule == PushRule.NEVER) {
      return null;
    }
    return new Trigger(
        new Message(
                message.msgid(),
                message.kind(),
                message.fromUid(),
                message.fromAppcode(),
                message.toUid(),
                message.toAppcode(),
                message.msgtype(),
                "",
                message.senddate(),
                message.logid())
            .inGroup(message.groupId()),
        cause,
        rule == PushRule.PREVIEW ? preview(message) : null);
  }

  /** The start of {@code message}'s content as text, ellipsized past {@value #PREVIEW_CHARS}. */
  static String preview(Message message) {
    String text = message.content();
    if (message.kind() == Kind.C2C || message.kind() == Kind.C2G) {
      text =
          MARKUP
              .matcher(text)
              .replaceAll("")
              .replace("&lt;", "<")
              .replace("&gt;", ">")
              .replace("&quot;", "\"")
              .replace("&amp;", "&");
    }
    if (text.codePointCount(0, text.length()) <= PREVIEW_CHARS) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, PREVIEW_CHARS)) + "…";
  }
}
