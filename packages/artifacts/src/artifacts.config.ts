// Which artifact store to use, read once from env at start-up and validated (bad config fails fast,
// naming every bad variable in one message).
import path from 'node:path';
import { ArtifactStoreConfigError } from './errors.js';

export interface FilesystemArtifactStoreConfig {
  kind: 'filesystem';
  rootDir: string;
}

export interface S3ArtifactStoreConfig {
  kind: 's3';
  /** S3_ENDPOINT, e.g. http://127.0.0.1:9000 */
  endpoint: string;
  /** S3_BUCKET, default 'atelier' */
  bucket: string;
  /** S3_ACCESS_KEY */
  accessKey: string;
  /** S3_SECRET_KEY */
  secretKey: string;
  /** S3_REGION, default 'us-east-1' */
  region: string;
  /** S3_PATH_STYLE ('true' | 'false'), default true */
  pathStyle?: boolean;
  partSizeBytes?: number;
  listPageSize?: number;
}

export type ArtifactStoreConfig = FilesystemArtifactStoreConfig | S3ArtifactStoreConfig;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * S3 when S3_ENDPOINT is set (then S3_ACCESS_KEY and S3_SECRET_KEY are required), otherwise the
 * filesystem under `${dataDir}/artifacts`.
 */
export function artifactConfigFromEnv(env: Record<string, string | undefined>, dataDir: string): ArtifactStoreConfig {
  const endpoint = env.S3_ENDPOINT?.trim();
  if (!endpoint) return { kind: 'filesystem', rootDir: path.join(dataDir, 'artifacts') };

  // Every problem is collected, so one start-up names them all; the error carries the first variable.
  const problems: Array<{ message: string; variable: string }> = [];
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    problems.push({ message: `S3_ENDPOINT=${JSON.stringify(endpoint)} is not a URL; set it like http://127.0.0.1:9000`, variable: 'S3_ENDPOINT' });
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push({ message: `S3_ENDPOINT=${endpoint} must start with http:// or https://`, variable: 'S3_ENDPOINT' });
  }
  const required = (name: 'S3_ACCESS_KEY' | 'S3_SECRET_KEY'): string => {
    const value = env[name];
    if (!value) problems.push({ message: `${name} is not set; it is required when S3_ENDPOINT is set (S3_ENDPOINT=${endpoint})`, variable: name });
    return value ?? '';
  };
  const accessKey = required('S3_ACCESS_KEY');
  const secretKey = required('S3_SECRET_KEY');
  const bucket = env.S3_BUCKET?.trim() || 'atelier';
  if (!BUCKET_NAME.test(bucket)) {
    problems.push({
      message: `S3_BUCKET=${JSON.stringify(bucket)} is not a valid bucket name (3-63 lower-case letters, digits, '.' or '-')`,
      variable: 'S3_BUCKET',
    });
  }
  const region = env.S3_REGION?.trim() || 'us-east-1';
  let pathStyle = true;
  const rawPathStyle = env.S3_PATH_STYLE?.trim().toLowerCase();
  if (rawPathStyle) {
    if (rawPathStyle !== 'true' && rawPathStyle !== 'false') {
      problems.push({ message: `S3_PATH_STYLE=${JSON.stringify(env.S3_PATH_STYLE)} must be 'true' or 'false'`, variable: 'S3_PATH_STYLE' });
    }
    pathStyle = rawPathStyle !== 'false';
  }
  if (problems.length) throw new ArtifactStoreConfigError(problems.map((p) => p.message).join('\n'), problems[0].variable);
  return { kind: 's3', endpoint, bucket, accessKey, secretKey, region, pathStyle };
}
