package io.courier.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the memory and CPU time of the node's process on this machine: VmRSS and CPU ticks from
 * {@code /proc/PID}, and the Java heap through {@code jcmd} (absent or failing: not available).
 *
 * <p>The heap figure is the live heap: {@code jcmd PID GC.run} (a full collection) first, then
 * {@code GC.heap_info}'s "used". Without the collection, "used" mostly measures how much garbage
 * happens to be waiting, which says nothing about the cost of a connection. The collection is only
 * run at the two measuring points, when the load is idle.
 */
public final class ServerProbe {
  /**
   * Linux's USER_HZ, the unit of utime/stime in /proc/PID/stat: 100 on every mainstream
   * architecture.
   */
  static final int CLOCK_TICKS_PER_SECOND = 100;

  private static final long JCMD_TIMEOUT_SECONDS = 30;
  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
  private static final Pattern HEAP_SPACE =
      Pattern.compile("(?m)^ (\\S[^\\n]*?)\\s+total (\\d+)K, used (\\d+)K");

  private final long pid;

  public ServerProbe(long pid) {
    this.pid = pid;
  }

  public long pid() {
    return pid;
  }

  /** Resident set size in KiB, or empty when the process is not readable. */
  public OptionalLong rssKib() {
    try {
      return parseRssKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** User + system CPU time in ms, or empty. */
  public OptionalLong cpuMillis() {
    try {
      return parseCpuMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Live heap in KiB after a full collection, or empty when jcmd is missing or fails. */
  public OptionalLong liveHeapKib() {
    if (jcmd("GC.run") == null) {
      return OptionalLong.empty();
    }
    String info = jcmd("GC.heap_info");
    return info == null ? OptionalLong.empty() : parseHeapUsedKib(info);
  }

  private String jcmd(String command) {
    try {
      Process process =
          new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Busy and total CPU ticks of the whole machine (all cores) from /proc/stat, or null. */
  static long[] machineTicks() {
    try {
      return parseMachineTicks(Files.readString(Path.of("/proc/stat")));
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code {busy, total}} from the first ("cpu") line: busy is everything but idle and iowait. */
  static long[] parseMachineTicks(String stat) {
    int end = stat.indexOf('\n');
    String line = end < 0 ? stat : stat.substring(0, end);
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 5 || !fields[0].equals("cpu")) {
      return null;
    }
    long total = 0;
    long idle = 0;
    try {
      // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        long ticks = Long.parseLong(fields[i]);
        total += ticks;
        if (i == 4 || i == 5) {
          idle += ticks;
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return new long[] {total - idle, total};
  }

  static OptionalLong parseRssKib(String status) {
    Matcher matcher = VM_RSS.matcher(status);
    return matcher.find()
        ? OptionalLong.of(Long.parseLong(matcher.group(1)))
        : OptionalLong.empty();
  }

  /**
   * utime + stime (fields 14 and 15, counted after the parenthesised command name, which may hold
   * spaces).
   */
  static OptionalLong parseCpuMillis(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return OptionalLong.empty();
    }
    String[] fields = stat.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state): utime is field 14 → index 11, stime field 15 → index 12
    if (fields.length < 13) {
      return OptionalLong.empty();
    }
    try {
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return OptionalLong.of(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The "used" of every heap space in {@code GC.heap_info} output (one for G1, young + old for the
   * generational collectors), without Metaspace and class space, which are not heap.
   */
  static OptionalLong parseHeapUsedKib(String heapInfo) {
    Matcher matcher = HEAP_SPACE.matcher(heapInfo);
    long used = 0;
    boolean found = false;
    while (matcher.find()) {
      String space = matcher.group(1).trim();
      if (space.startsWith("Metaspace") || space.startsWith("class space")) {
        continue;
      }
      used += Long.parseLong(matcher.group(3));
      found = true;
    }
    return found ? OptionalLong.of(used) : OptionalLong.empty();
  }
}
