// Starts the built server jar as a child process (a real node: its own JVM, data dir and port), and restarts it on
// the same port and data dir, which drops every connection mid-stream the way a deploy does. Shared by the
// real-node unit tests and the browser tests.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const JAR = process.env.SB_SERVER_JAR ?? resolve(HERE, '../../../../server/target/switchboard.jar');
/** A fixed test secret, so tokens stay valid across a restart (a generated dev secret would change). */
const SECRET = 'browser-test-secret-0123456789abcdef-0123456789';

export function jarMissingMessage() {
  return `the server jar ${JAR} is missing: build it first (mvn -B -q install -DskipTests)`;
}

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

export class NodeProcess {
  #child = null;
  #log;

  constructor({ port, dataDir, env = {} }) {
    this.port = port;
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'sb-browser-'));
    this.env = env;
    this.logFile = join(this.dataDir, 'node.log');
    // A node given a certificate (SB_TLS_CERT_FILE) is spoken to over https:// and wss://.
    this.url = `${env.SB_TLS_CERT_FILE ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  static async start(options = {}) {
    if (!existsSync(JAR)) {
      throw new Error(jarMissingMessage());
    }
    const node = new NodeProcess({ port: options.port ?? await freePort(), ...options });
    await node.start();
    return node;
  }

  async start() {
    this.#log ??= createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn('java', ['-jar', JAR], {
      env: {
        ...process.env,
        SB_HTTP_PORT: String(this.port),
        SB_HTTP_HOST: '127.0.0.1',
        SB_DATA_DIR: this.dataDir,
        SB_PUBLISH_RATE: '0',
        SB_JWT_SECRET: SECRET,
        SB_DEV_TOKENS: 'true',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(this.#log, { end: false });
    child.stderr.pipe(this.#log, { end: false });
    this.#child = child;
    const exited = new Promise((done) => child.once('exit', (code) => done(code)));
    this.exited = exited;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`the node exited with ${child.exitCode} while starting; see ${this.logFile}`);
      }
      try {
        if ((await fetch(`${this.url}/ready`)).ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`the node did not get ready in 30 s; see ${this.logFile}`);
  }

  /** Stops the process: SIGTERM (a graceful drain), SIGKILL if it lingers. */
  async stop() {
    const child = this.#child;
    if (!child || child.exitCode !== null) {
      return;
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
    this.#child = null;
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  async close() {
    await this.stop();
    this.#log?.end();
  }

  /** A session token (docs/PROTOCOL.md, Per-session tokens) of `sub` for `session`, signed with the node's secret. */
  sessionToken(sub, session, ttlSec) {
    const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub, session,
      exp: Math.floor(Date.now() / 1000) + ttlSec })}`;
    return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
  }

  /** A dev token for a user allowed everything. */
  async token(sub, name = sub) {
    const response = await fetch(`${this.url}/dev/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub, name, sessions: ['*'], publish: ['*'] }),
    });
    return (await response.json()).token;
  }
}
