package io.courier.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A business on the TCP bridge that does not wait for one answer before sending the next request:
 * requests go out from the test's thread, each with its own {@code replyAddress}, and a reader
 * thread records the frame that answers each one and when it came. Frames are the bridge's raw
 * framing (4-byte big-endian length, UTF-8 JSON) through a plain {@link Socket}.
 */
final class BridgeStream implements AutoCloseable {

  /** A request and, once it came, the frame that answered it ({@code message} or {@code err}). */
  static final class Request {
    final String address;
    final JsonObject body;
    final long sentNanos;
    volatile JsonObject answer;
    volatile long answeredNanos;

    private Request(String address, JsonObject body, long sentNanos) {
      this.address = address;
      this.body = body;
      this.sentNanos = sentNanos;
    }

    boolean answered() {
      return answer != null;
    }

    /** Milliseconds from sending to the answer; until the answer, from sending to now. */
    long latencyMs() {
      long end = answered() ? answeredNanos : System.nanoTime();
      return (end - sentNanos) / 1_000_000;
    }

    /** The answer's body when it is a reply, else null. */
    JsonObject reply() {
      return answered() && "message".equals(answer.getString("type"))
          ? answer.getJsonObject("body")
          : null;
    }

    @Override
    public String toString() {
      return address + " " + body.encode() + " -> " + (answered() ? answer.encode() : "nothing");
    }
  }

  private final Socket socket;
  private final DataOutputStream out;
  private final Map<String, Request> byReplyAddress = new ConcurrentHashMap<>();
  private final List<Request> sent = new ArrayList<>();
  private final Thread reader;
  private int next;

  private BridgeStream(Socket socket) throws IOException {
    this.socket = socket;
    this.out = new DataOutputStream(socket.getOutputStream());
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.reader = new Thread(() -> read(in), "bridge-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static BridgeStream connect(int port) {
    try {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return new BridgeStream(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a request to {@code address} without waiting for its answer. */
  Request send(String address, JsonObject body) {
    String replyAddress = "stream-" + next++;
    Request request = new Request(address, body, System.nanoTime());
    byReplyAddress.put(replyAddress, request);
    sent.add(request);
    byte[] frame =
        new JsonObject()
            .put("type", "send")
            .put("address", address)
            .put("replyAddress", replyAddress)
            .put("body", body)
            .encode()
            .getBytes(UTF_8);
    try {
      out.writeInt(frame.length);
      out.write(frame);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return request;
  }

  /** Every request sent so far, in order. */
  List<Request> sent() {
    return List.copyOf(sent);
  }

  private void read(DataInputStream in) {
    try {
      while (true) {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        long now = System.nanoTime();
        JsonObject frame = new JsonObject(new String(body, UTF_8));
        Request request = byReplyAddress.remove(String.valueOf(frame.getString("address")));
        if (request != null) {
          request.answeredNanos = now;
          request.answer = frame;
        }
      }
    } catch (IOException e) {
      // the socket closed: requests not answered by now stay unanswered
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
