// Starts a real Courier node from the built jar for the tests: an embedded store in a fresh data
// directory, free ports on 127.0.0.1, the development secrets. COURIER_JAR names the jar (the Maven
// build sets it); by default ../../server/target/courier.jar.

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const JAR = process.env.COURIER_JAR ?? resolve(here, '../../../server/target/courier.jar');
const DEV_SECRET = 'courier-development-secret-not-for-production';
const START_BOUND_MS = 60_000;

/**
 * `count` distinct free ports on 127.0.0.1. Each is held until all are taken: a port closed at once
 * can be handed out again by the next bind (a node once got the same port for its gate and its
 * HTTP listener, and its HTTP requests then reached the gate).
 */
async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolveListen);
      });
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolveClose) => server.close(() => resolveClose()))));
  }
}

/** A node process; stop() kills it and removes its data. */
export async function startNode(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'courier-js-'));
  const [gate, http, admin, bridge] = await freePorts(4);
  const ports = { gate, http, admin, bridge };
  const log = join(dataDir, 'node.log');
  const out = openSync(log, 'a');
  const child = spawn('java', ['-jar', JAR], {
    env: {
      ...process.env,
      COURIER_GATE_PORT: String(ports.gate),
      COURIER_HTTP_PORT: String(ports.http),
      COURIER_ADMIN_PORT: String(ports.admin),
      COURIER_BRIDGE_PORT: String(ports.bridge),
      COURIER_DATA_DIR: join(dataDir, 'data'),
      COURIER_DRAIN_SECONDS: '0',
      COURIER_GATE_INSTANCES: '2',
      ...env,
    },
    stdio: ['ignore', out, out],
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + START_BOUND_MS;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${ports.http}/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (exited) throw new Error(`the node exited before it was ready; see ${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the node was not ready within ${START_BOUND_MS} ms; see ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ports,
    url: `ws://127.0.0.1:${ports.http}/ws`,
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => child.on('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An HS256 login token for uid and appcode, signed with the development secret. */
export function token(uid, appcode, ttlSeconds = 3600) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: uid, appcode, iat: now, exp: now + ttlSeconds })}`;
  const signature = createHmac('sha256', DEV_SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** Resolves with the detail of the next `type` event of `client` that `accept`s, within `ms`. */
export function next(client, type, accept = () => true, ms = 10_000) {
  return new Promise((resolveEvent, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event within ${ms} ms`));
    }, ms);
    const off = client.on(type, (detail) => {
      if (accept(detail)) {
        clearTimeout(timer);
        off();
        resolveEvent(detail);
      }
    });
  });
}

let uids = 0;
const RUN = Date.now().toString(36);

/** A uid unique to this run. */
export function uid(name) {
  uids += 1;
  return `js-${RUN}-${name}-${uids}`;
}
