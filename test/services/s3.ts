// A real S3-speaking server for tests. With S3_ENDPOINT set (CI, a developer's MinIO) the S3_* env is
// used as is; otherwise, as root on Linux with apt, the project's copy of the Swift + s3api script is
// run (it installs Debian's swift packages on first use, ~20 s, and boots in ~8 s); otherwise the
// caller gets the reason S3 is unavailable.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface S3TestConfig {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  /** A bucket name for this run: S3_BUCKET when set, otherwise a fresh unique name. */
  bucket: string;
}

export type S3Availability = S3TestConfig | { unavailable: string };

export const LOCAL_SWIFT_ACCESS_KEY = 'test:tester';
export const LOCAL_SWIFT_SECRET_KEY = 'testing';
const SCRIPT = fileURLToPath(new URL('./s3-swift.sh', import.meta.url));
const SCRIPT_TIMEOUT_MS = 300_000;

/** A unique, valid bucket name for one test run. */
export function perRunBucketName(base = 'atelier-test'): string {
  return `${base}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`.slice(0, 63);
}

export async function ensureS3(env: NodeJS.ProcessEnv = process.env): Promise<S3Availability> {
  if (env.S3_ENDPOINT) {
    for (const name of ['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
      if (!env[name]) return { unavailable: `S3_ENDPOINT is set (${env.S3_ENDPOINT}) but ${name} is not` };
    }
    return {
      endpoint: env.S3_ENDPOINT,
      accessKey: env.S3_ACCESS_KEY as string,
      secretKey: env.S3_SECRET_KEY as string,
      region: env.S3_REGION || 'us-east-1',
      bucket: env.S3_BUCKET || perRunBucketName(),
    };
  }

  const port = Number(env.S3_PORT || 9000);
  const local: S3TestConfig = {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey: LOCAL_SWIFT_ACCESS_KEY,
    secretKey: LOCAL_SWIFT_SECRET_KEY,
    region: 'us-east-1',
    bucket: perRunBucketName(),
  };
  if (await healthy(local.endpoint)) return local;

  if (process.platform !== 'linux') return { unavailable: `S3_ENDPOINT is not set and the local Swift script needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { unavailable: 'S3_ENDPOINT is not set and starting local Swift needs root (it installs Debian packages and writes /etc/swift)' };
  const swiftInstalled = existsSync('/usr/bin/swift-proxy-server');
  if (!swiftInstalled && !existsSync('/usr/bin/apt-get')) {
    return { unavailable: 'S3_ENDPOINT is not set, Swift is not installed and there is no apt-get to install it' };
  }
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        'bash',
        [SCRIPT],
        { env: { ...env, S3_PORT: String(port) }, timeout: SCRIPT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`.trim())) : resolve()),
      );
    });
  } catch (err) {
    return { unavailable: `could not start local Swift + s3api with ${SCRIPT}: ${(err as Error).message}` };
  }
  if (!(await healthy(local.endpoint))) {
    return { unavailable: `${SCRIPT} finished but ${local.endpoint}/healthcheck does not answer; see /var/log/swift-*.log` };
  }
  return local;
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/healthcheck`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
