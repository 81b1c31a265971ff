package io.courier.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking Redis client (RESP 2) for reading presence records: pipelined commands,
 * replies as strings, longs, nulls and lists. The suite reads Redis directly, beside Courier, to
 * judge what Courier keeps there.
 */
final class Resp implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  Resp(String host, int port, int timeoutMs) throws IOException {
    socket = new Socket();
    try {
      socket.setSoTimeout(timeoutMs);
      socket.connect(new InetSocketAddress(host, port), timeoutMs);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = new BufferedOutputStream(socket.getOutputStream());
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends all {@code commands} at once and returns their replies in order. */
  List<Object> pipeline(List<List<String>> commands) throws IOException {
    for (List<String> command : commands) {
      StringBuilder frame = new StringBuilder("*").append(command.size()).append("\r\n");
      for (String argument : command) {
        byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
        frame.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
      }
      out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
    List<Object> replies = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      replies.add(reply());
    }
    return replies;
  }

  private Object reply() throws IOException {
    int type = in.read();
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("Redis error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] bytes = new byte[length];
          in.readFully(bytes);
          line();
          return new String(bytes, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            items.add(reply());
          }
          return items;
        }
      default:
        throw new IOException("unexpected Redis reply type " + type);
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      if (c == '\r') {
        in.read();
        return line.toString();
      }
      line.append((char) c);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
