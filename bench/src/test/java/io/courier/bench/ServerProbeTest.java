package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServerProbeTest {

  @Test
  void readsVmRss() {
    String status =
        "Name:\tjava\nVmPeak:\t 5000000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100000 kB\n";
    assertEquals(OptionalLong.of(123_456), ServerProbe.parseRssKib(status));
    assertEquals(OptionalLong.empty(), ServerProbe.parseRssKib("Name:\tjava\n"));
  }

  @Test
  void readsCpuTicksAfterACommandNameWithSpaces() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // ...
    String stat = "4242 (java main) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 30 0";
    assertEquals(OptionalLong.of(3_000), ServerProbe.parseCpuMillis(stat));
    assertEquals(OptionalLong.empty(), ServerProbe.parseCpuMillis("garbage"));
  }

  @Test
  void readsTheUsedHeapOfG1() {
    String info =
        "4242:\n"
            + " garbage-first heap   total 262144K, used 23456K [0x0000000707000000, 0x0000000800000000)\n"
            + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n"
            + " Metaspace       used 30000K, committed 30500K, reserved 1114112K\n"
            + "  class space    used 3000K, committed 3200K, reserved 1048576K\n";
    assertEquals(OptionalLong.of(23_456), ServerProbe.parseHeapUsedKib(info));
  }

  @Test
  void addsTheGenerationsOfAGenerationalCollector() {
    String info =
        "4242:\n"
            + " PSYoungGen      total 76288K, used 3932K [0x..., 0x...)\n"
            + "  eden space 65536K, 6% used [0x...)\n"
            + " ParOldGen       total 175104K, used 1000K [0x..., 0x...)\n"
            + " Metaspace       used 30000K, committed 30500K, reserved 1114112K\n";
    assertEquals(OptionalLong.of(4_932), ServerProbe.parseHeapUsedKib(info));
    assertEquals(OptionalLong.empty(), ServerProbe.parseHeapUsedKib("4242:\nCommand not found\n"));
  }

  @Test
  void readsTheMachineBusyTicks() {
    String stat = "cpu  100 5 50 800 20 3 2 0 0 0\ncpu0 50 2 25 400 10 1 1 0 0 0\n";
    long[] ticks = ServerProbe.parseMachineTicks(stat);
    assertEquals(160, ticks[0]);
    assertEquals(980, ticks[1]);
    assertEquals(null, ServerProbe.parseMachineTicks("intr 1 2 3\n"));
  }
}
