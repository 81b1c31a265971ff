package io.courier.store;

import io.courier.message.Message;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline messages, message history and send-dedup: one interface, an embedded implementation
 * (files under the data directory) and a sharded MySQL one.
 *
 * <p>Every write completes only after it is durable (committed); a failed future means the store is
 * unavailable, which the caller answers with 503 and never acknowledges. Msgids are compared as
 * numbers.
 */
public interface MessageStore {

  /** Longest uid, cmid and logid (protocol: 64). */
  int MAX_KEY_CHARS = 64;

  /**
   * Longest content: 16 KiB of raw content grows to about 96 KiB once every {@code "} is escaped to
   * {@code &quot;}.
   */
  int MAX_CONTENT_CHARS = 1_000_000;

  /** Largest page of {@link #pull} and {@link #history}; the protocol asks for 200 at most. */
  int MAX_PAGE = 10_000;

  /** Creates or migrates the schema; the store is usable when this completes. */
  Future<Void> open();

  Future<Void> close();

  /** Succeeds when the store answers a trivial query: the readiness check. */
  Future<Void> ping();

  /**
   * The highest msgid stored in any table, 0 when empty: the floor of the node's msgid generator.
   */
  Future<Long> maxMsgid();

  /**
   * Accepts a C2C message: its two history rows (owned by the sender and by the receiver; one when
   * they are the same user) and the receiver's offline row, atomically, deduplicated by {@code
   * (from_uid, from_appcode, cmid)}. If that cmid was already accepted, nothing is written and the
   * result is the first message's msgid and senddate.
   */
  default Future<Accepted> acceptC2c(Message message, String cmid) {
    return acceptC2c(message, cmid, List.of());
  }

  /**
   * {@link #acceptC2c(Message, String)} with the message's copies for the other terminals it may
   * reach ({@link Message#at}): the other appcodes of the receiver's user system and of the
   * sender's (sync). Of those, the copies whose terminal is recorded ({@link #addTerminal}) get an
   * offline row each, in the same atomic write, and are the result's {@link Accepted#copies}. A
   * copy whose terminal is at the offline cap is left out of the store (that terminal finds the
   * message in HISTORY); the cap refuses the message only for its addressed terminal. A resend of
   * an accepted cmid stores no copy either.
   */
  Future<Accepted> acceptC2c(Message message, String cmid, List<Message> candidates);

  /**
   * The appcodes {@code uid} has logged in with, recorded by {@link #addTerminal}, ascending: the
   * terminals that get copies of the user's messages (docs/conversations.md).
   */
  Future<Set<Integer>> terminals(String uid);

  /**
   * Records that {@code uid} logged in with {@code appcode} at {@code since}; a terminal recorded
   * before stays as it was. Terminals are kept until the operator removes them: a handful of small
   * rows per user.
   */
  Future<Void> addTerminal(String uid, int appcode, long since);

  /**
   * Stores offline rows (S2C qos 1, one per receiver) atomically. Fails with {@link
   * OfflineQuotaException}, storing nothing, when a receiver would pass the store's cap of waiting
   * offline messages; so does {@link #acceptC2c}, unless the cmid was accepted before.
   */
  Future<Void> storeOffline(List<Message> messages);

  /**
   * Gives the receiver {@code (uid, appcode)} a page of its offline messages: those with msgid
   * greater than {@code after} and those no pull has given yet whatever their msgid, ascending by
   * msgid; then marks them given. Completes after the mark committed, so a pull that follows sees
   * it; fails when the page cannot be read or marked.
   *
   * <p>Msgids are taken before their message commits, so a message can become visible after a pull
   * passed its msgid: {@code after} alone would skip it for good. Returning what was never given
   * makes the next pull return it instead, below {@code after}.
   */
  Future<Pulled> pull(String uid, int appcode, long after, int limit);

  /**
   * Removes the offline messages of {@code (uid, appcode)} with msgid ≤ {@code upto} that a {@link
   * #pull} gave; the result is how many. A message no pull has given stays, whatever its msgid.
   */
  Future<Integer> removeOfflineUpTo(String uid, int appcode, long upto);

  /**
   * Removes the listed offline messages of {@code (uid, appcode)}, given or not (the client says it
   * has them); the result is how many were there.
   */
  Future<Integer> removeOfflineListed(String uid, int appcode, List<Long> msgids);

  /** Removes one offline message, acknowledged by a PUSH ack; true if it was there. */
  Future<Boolean> removeOffline(String uid, int appcode, long msgid);

  /**
   * Marks {@code owner}'s conversation with {@code peer} read up to {@code upto}: the read position
   * only moves forward. The result is the position after the mark, and whether this mark moved it.
   */
  Future<ReadMark> markRead(String owner, String peer, long upto);

  /**
   * The positions of {@code owner}'s conversations with each of {@code peers} (at most {@link
   * #MAX_PAGE}); a conversation without any is {@link Positions#NONE}. The receiver's positions
   * move by {@link #markRead} and by its terminals receiving C2C messages: a PUSH ack ({@link
   * #removeOffline}, {@link #removeOfflineListed}) or a PULL giving them ({@link #pull}) moves the
   * receiver's delivered position of the conversation with the sender.
   */
  Future<Map<String, Positions>> positions(String owner, Set<String> peers);

  /**
   * {@code owner}'s conversations whose last message has a msgid below {@code before}, the most
   * recent first, at most {@code limit}: each with its last message, read position and the exact
   * number of the peer's messages after the read position up to the last message. The groups {@code
   * owner} is a member of are conversations too, a removed member's are not: a group's {@code
   * lastMsgid} is the later of its last message and the owner's join point (so a new member sees
   * the group at once), and its {@code last} the group's last message when the owner sees it (msgid
   * above its join point), else null. A conversation's last msgid is written in the same atomic
   * write as its history rows, and the unread count is counted from those rows, so both agree with
   * the history whatever writes run concurrently.
   */
  Future<Conversations> conversations(String owner, long before, int limit);

  /**
   * History rows owned by {@code owner} in the conversation with {@code peer}, msgid below {@code
   * before}, newest first.
   */
  Future<Page> history(String owner, String peer, long before, int limit);

  /**
   * Creates the group {@code groupId} with {@code members}, each joining at {@code joined} (docs/
   * groups.md); the result is the group. Fails with {@link GroupRefusedException}, storing nothing:
   * 409 when a group of that id exists (open or closed), 413 when there are more than {@code
   * maxMembers} members. An invitee listed twice is one member, the first listing's appcode.
   */
  Future<Group> createGroup(
      String groupId, String title, List<Group.Invitee> members, long joined, int maxMembers);

  /**
   * Adds {@code add}, joining at {@code joined}, and removes the members {@code remove} (by uid),
   * atomically; the result is the group after. An invitee who is a member already keeps its join
   * point and appcode; removing a uid that is not a member does nothing; a uid in both lists is
   * removed. A removed member's messages waiting offline stay (they were sent while it was a
   * member); nothing later reaches it. Fails with {@link GroupRefusedException}, storing nothing:
   * 404 no such group, 410 closed, 413 when the group would pass {@code maxMembers}.
   */
  Future<Group> changeMembers(
      String groupId, List<Group.Invitee> add, List<String> remove, long joined, int maxMembers);

  /**
   * Closes the group: it refuses sends and membership changes from then on, and keeps its members,
   * history and read positions; the result is the group. Closing a closed group succeeds and
   * changes nothing; 404 when there is no such group.
   */
  Future<Group> closeGroup(String groupId);

  /** The group, or 404 ({@link GroupRefusedException}) when there is none. */
  Future<Group> group(String groupId);

  /**
   * Accepts a group message ({@code message}: kind {@link io.courier.message.Kind#C2G}, its {@code
   * groupId}, addressed to no one: {@code to_uid} "" and {@code to_appcode} 0), in one atomic write
   * as one observes it: its timeline row (the group's history), the group's last msgid, and the
   * offline rows {@code fanout} gives for each member found in that write, deduplicated by {@code
   * (from_uid, from_appcode, cmid)} like {@link #acceptC2c(Message, String, List)}. The result's
   * {@link Accepted#copies} are the offline rows written, to be pushed. Of the candidates, the
   * addressed copy of each member is written unless that member's inbox is at the offline cap (that
   * member finds the message in HISTORY: one full member does not refuse the group's message);
   * another terminal's copy only when that terminal is recorded. Fails with {@link
   * GroupRefusedException}, storing nothing: 404 no such group, 403 the sender is not a member, 410
   * closed; a resend of an accepted cmid is answered as a duplicate whatever the group's state.
   */
  Future<Accepted> acceptC2g(Message message, String cmid, GroupFanout fanout);

  /**
   * The group's messages with msgid above {@code after} and below {@code before}, newest first: a
   * member's HISTORY, {@code after} being its join point. Paged like {@link #history}.
   */
  Future<Page> groupHistory(String groupId, long after, long before, int limit);

  /**
   * Marks the group read by its member {@code uid} up to {@code upto}: the position only moves
   * forward. 404 no such group, 403 not a member.
   */
  Future<ReadMark> markGroupRead(String uid, String groupId, long upto);

  /**
   * One bounded round of the retention purge as of {@code now}: deletes up to a batch of offline
   * messages and a batch of history rows whose {@code senddate} is older than their retention
   * period (none of a kind kept forever); the result is how many rows it deleted. A store runs it
   * in the background; a purged offline message is gone. Fails, writing nothing, when the store is
   * unavailable.
   */
  Future<Integer> purgeExpired(long now);

  /**
   * One entry of {@link #conversations}: a two-person conversation ({@code peer}) or a group the
   * owner is a member of ({@code groupId}, {@code peer} null).
   *
   * @param last the last message, null when the retention purge took it
   * @param unread the peer's messages with msgid above {@code readUpto} and up to {@code
   *     lastMsgid}; in a group, the other members' messages above the read position and the join
   *     point
   */
  record Conversation(
      String peer, long lastMsgid, long readUpto, long unread, Message last, String groupId) {

    /** A two-person conversation. */
    public Conversation(String peer, long lastMsgid, long readUpto, long unread, Message last) {
      this(peer, lastMsgid, readUpto, unread, last, null);
    }

    /** A group's entry. */
    public static Conversation ofGroup(
        String groupId, long lastMsgid, long readUpto, long unread, Message last) {
      return new Conversation(null, lastMsgid, readUpto, unread, last, groupId);
    }
  }

  /** A page of {@link #conversations}, and whether more follow it. */
  record Conversations(List<Conversation> conversations, boolean more) {
    public Conversations {
      conversations = List.copyOf(conversations);
    }
  }

  /** The result of {@link #markRead}: the read position, and whether the mark moved it. */
  record ReadMark(long readUpto, boolean advanced) {}

  /**
   * Where a conversation stands for its owner: up to which msgid the owner has read it ({@code
   * read}), and up to which msgid the peer has read ({@code peerRead}) and received ({@code
   * peerDelivered}) the owner's messages. 0 when nothing is known.
   */
  record Positions(long read, long peerRead, long peerDelivered) {
    public static final Positions NONE = new Positions(0, 0, 0);
  }

  /**
   * The result of {@link #acceptC2c}.
   *
   * @param duplicate true when the cmid had been accepted before and nothing new was stored
   * @param copies the copies for other terminals that exist, to be pushed to them
   */
  record Accepted(long msgid, long senddate, boolean duplicate, List<Message> copies) {
    public Accepted {
      copies = List.copyOf(copies);
    }

    /** Accepted with no copy for another terminal. */
    public Accepted(long msgid, long senddate, boolean duplicate) {
      this(msgid, senddate, duplicate, List.of());
    }
  }

  /**
   * Most content, in UTF-8 bytes, on one page of {@link #pull} or {@link #history}: a page ends
   * before the message that would pass it ({@code more} is then true), but holds at least one
   * message. 256 KiB keeps a page of large messages (200 of up to 16 KiB each, more once sanitized)
   * well under the 1 MiB a gate lets queue for one client before it cuts a slow reader.
   */
  int MAX_PAGE_BYTES = 256 * 1024;

  /** One page of messages and whether more follow it. */
  record Page(List<Message> messages, boolean more) {

    /**
     * The first {@code limit} of {@code rows} (read with one row more than the limit, to tell
     * whether more follow), cut before {@link #MAX_PAGE_BYTES} of content.
     */
    public static Page of(List<Message> rows, int limit) {
      int bytes = 0;
      int end = Math.min(limit, rows.size());
      for (int i = 0; i < end; i++) {
        bytes += utf8Length(rows.get(i).content());
        if (bytes > MAX_PAGE_BYTES && i > 0) {
          end = i;
          break;
        }
      }
      return end < rows.size()
          ? new Page(List.copyOf(rows.subList(0, end)), true)
          : new Page(rows, false);
    }

    private static int utf8Length(String text) {
      int bytes = text.length();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= 0x80) {
          // 2 bytes up to U+07FF, else 3; a surrogate pair is 4 bytes for its two chars
          bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
        }
      }
      return bytes;
    }
  }

  /**
   * The result of {@link #pull}.
   *
   * @param more whether more messages follow the page
   * @param firstGiven the msgids of the page that this pull was the first to give: the others were
   *     given before, or by a concurrent pull
   */
  record Pulled(List<Message> messages, boolean more, Set<Long> firstGiven) {
    public Pulled {
      messages = List.copyOf(messages);
      firstGiven = Set.copyOf(firstGiven);
    }
  }
}
