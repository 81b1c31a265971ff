package io.courier.push;

import io.courier.protocol.body.PushProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The registry of an embedded node: a RocksDB of its own under {@code <data.dir>/devices}. Two key
 * spaces, each write a {@link WriteBatch} of both, synced, so a registration and its token index
 * never disagree after a crash:
 *
 * <pre>
 *   d \0 uid \0 appcode \0 device   → {provider, token, topic?, updated}
 *   t \0 provider \0 token          → uid \0 appcode \0 device
 * </pre>
 *
 * <p>Uids, devices and tokens hold no NUL (protocol.md 6.3, 9.13), so the separators are exact and
 * a prefix scan of {@code d\0uid\0appcode\0} lists a receiver's devices. Every call runs on one
 * worker thread of its own, off the event loops, one at a time: a registration reads the token's
 * holder and writes in one step that nothing interleaves.
 */
public final class RocksDeviceRegistry implements DeviceRegistry {
  private static final char SEP = '\0';

  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final Options options;
  private final WriteOptions synced;
  private final WorkerExecutor worker;

  private RocksDeviceRegistry(
      RocksDB db, Options options, WriteOptions synced, WorkerExecutor worker) {
    this.db = db;
    this.options = options;
    this.synced = synced;
    this.worker = worker;
  }

  /** Opens (creating it when missing) the registry in {@code dir}. */
  public static Future<DeviceRegistry> open(Vertx vertx, Path dir) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("courier-devices-" + dir, 1);
    return worker
        .<DeviceRegistry>executeBlocking(
            () -> {
              Files.createDirectories(dir);
              Options options = new Options().setCreateIfMissing(true);
              try {
                return new RocksDeviceRegistry(
                    RocksDB.open(options, dir.toString()),
                    options,
                    new WriteOptions().setSync(true),
                    worker);
              } catch (RocksDBException e) {
                options.close();
                throw e;
              }
            })
        .onFailure(e -> worker.close());
  }

  @Override
  public Future<Void> register(Device device) {
    return run(
        () -> {
          byte[] tokenKey = tokenKey(device.provider(), device.token());
          byte[] deviceKey = deviceKey(device.uid(), device.appcode(), device.device());
          try (WriteBatch batch = new WriteBatch()) {
            byte[] holder = db.get(tokenKey);
            if (holder != null
                && !new String(holder, StandardCharsets.UTF_8).equals(owner(device))) {
              // the token moves: its former holder's registration goes
              batch.delete(
                  ("d" + SEP + new String(holder, StandardCharsets.UTF_8))
                      .getBytes(StandardCharsets.UTF_8));
            }
            Device previous =
                read(device.uid(), device.appcode(), device.device(), db.get(deviceKey));
            if (previous != null
                && !(previous.provider() == device.provider()
                    && previous.token().equals(device.token()))) {
              batch.delete(tokenKey(previous.provider(), previous.token()));
            }
            batch.put(tokenKey, owner(device).getBytes(StandardCharsets.UTF_8));
            batch.put(deviceKey, value(device));
            db.write(synced, batch);
          }
          return null;
        });
  }

  @Override
  public Future<Boolean> unregister(String uid, int appcode, String device) {
    return run(
        () -> {
          byte[] deviceKey = deviceKey(uid, appcode, device);
          Device previous = read(uid, appcode, device, db.get(deviceKey));
          if (previous == null) {
            return false;
          }
          try (WriteBatch batch = new WriteBatch()) {
            batch.delete(deviceKey);
            batch.delete(tokenKey(previous.provider(), previous.token()));
            db.write(synced, batch);
          }
          return true;
        });
  }

  @Override
  public Future<List<Device>> devices(String uid, int appcode) {
    return run(
        () -> {
          String prefix = "d" + SEP + uid + SEP + appcode + SEP;
          byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
          List<Device> devices = new ArrayList<>();
          try (RocksIterator rows = db.newIterator()) {
            for (rows.seek(start); rows.isValid(); rows.next()) {
              String key = new String(rows.key(), StandardCharsets.UTF_8);
              if (!key.startsWith(prefix)) {
                break;
              }
              devices.add(read(uid, appcode, key.substring(prefix.length()), rows.value()));
            }
          }
          return devices;
        });
  }

  @Override
  public Future<Boolean> removeDead(PushProvider provider, String token) {
    return run(
        () -> {
          byte[] tokenKey = tokenKey(provider, token);
          byte[] holder = db.get(tokenKey);
          if (holder == null) {
            return false;
          }
          try (WriteBatch batch = new WriteBatch()) {
            batch.delete(tokenKey);
            batch.delete(
                ("d" + SEP + new String(holder, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
            db.write(synced, batch);
          }
          return true;
        });
  }

  @Override
  public Future<Void> close() {
    return run(() -> {
          db.close();
          synced.close();
          options.close();
          return null;
        })
        .<Void>mapEmpty()
        .eventually(worker::close);
  }

  /** Runs {@code call} on the registry's thread, one call at a time. */
  private <T> Future<T> run(Callable<T> call) {
    return worker.executeBlocking(call, true);
  }

  private static String owner(Device device) {
    return device.uid() + SEP + device.appcode() + SEP + device.device();
  }

  private static byte[] deviceKey(String uid, int appcode, String device) {
    return ("d" + SEP + uid + SEP + appcode + SEP + device).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] tokenKey(PushProvider provider, String token) {
    return ("t" + SEP + provider.wire() + SEP + token).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(Device device) {
    JsonObject json =
        new JsonObject()
            .put("provider", device.provider().wire())
            .put("token", device.token())
            .put("updated", device.updated());
    if (device.topic() != null) {
      json.put("topic", device.topic());
    }
    return json.toBuffer().getBytes();
  }

  private static Device read(String uid, int appcode, String device, byte[] value) {
    if (value == null) {
      return null;
    }
    JsonObject json = new JsonObject(new String(value, StandardCharsets.UTF_8));
    return new Device(
        uid,
        appcode,
        device,
        PushProvider.fromWire(json.getString("provider")),
        json.getString("token"),
        json.getString("topic"),
        json.getLong("updated"));
  }
}
