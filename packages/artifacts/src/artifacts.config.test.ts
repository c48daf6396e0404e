import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactConfigFromEnv } from './artifacts.config.js';
import { createArtifactStore } from './create-artifact-store.js';
import { ArtifactStoreConfigError } from './errors.js';
import { FilesystemArtifactStore } from './filesystem-artifact-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

const s3Env = { S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'sk' };

describe('artifactConfigFromEnv', () => {
  it('uses the filesystem under <dataDir>/artifacts when S3_ENDPOINT is unset', () => {
    expect(artifactConfigFromEnv({}, '/var/lib/atelier')).toEqual({ kind: 'filesystem', rootDir: path.join('/var/lib/atelier', 'artifacts') });
    expect(artifactConfigFromEnv({ S3_ENDPOINT: '' }, '.atelier')).toMatchObject({ kind: 'filesystem' });
  });

  it('uses S3 with defaults for bucket and region when S3_ENDPOINT is set', () => {
    expect(artifactConfigFromEnv(s3Env, '/d')).toEqual({
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'atelier',
      accessKey: 'ak',
      secretKey: 'sk',
      region: 'us-east-1',
      pathStyle: true,
    });
    expect(
      artifactConfigFromEnv({ ...s3Env, S3_BUCKET: 'models-prod', S3_REGION: 'eu-west-1', S3_PATH_STYLE: 'false' }, '/d'),
    ).toMatchObject({ bucket: 'models-prod', region: 'eu-west-1', pathStyle: false });
  });

  it.each([
    [{ S3_ENDPOINT: 'http://h:9000', S3_SECRET_KEY: 'sk' }, 'S3_ACCESS_KEY'],
    [{ S3_ENDPOINT: 'http://h:9000', S3_ACCESS_KEY: 'ak' }, 'S3_SECRET_KEY'],
    [{ ...s3Env, S3_ENDPOINT: 'not a url' }, 'S3_ENDPOINT'],
    [{ ...s3Env, S3_ENDPOINT: 'ftp://h' }, 'S3_ENDPOINT'],
    [{ ...s3Env, S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET'],
    [{ ...s3Env, S3_PATH_STYLE: 'yes' }, 'S3_PATH_STYLE'],
  ])('fails fast naming the variable: %j → %s', (env, variable) => {
    let caught: unknown;
    try {
      artifactConfigFromEnv(env, '/d');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ArtifactStoreConfigError);
    expect(caught).toMatchObject({ code: 'ATL_ARTIFACT_STORE_CONFIG', variable });
    expect((caught as Error).message).toContain(variable);
  });
});

describe('createArtifactStore', () => {
  it('builds the store the config names', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'atelier-artifacts-factory-'));
    try {
      const fs = createArtifactStore(artifactConfigFromEnv({}, dir));
      expect(fs).toBeInstanceOf(FilesystemArtifactStore);
      expect(fs.kind).toBe('filesystem');
      await fs.put('x/y.txt', Buffer.from('hi'));
      expect(Buffer.from(await fs.getBytes('x/y.txt')).toString()).toBe('hi');
      await fs.close();
      const s3 = createArtifactStore(artifactConfigFromEnv(s3Env, dir));
      expect(s3).toBeInstanceOf(S3ArtifactStore);
      expect((s3 as S3ArtifactStore).bucket).toBe('atelier');
      await s3.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an S3 part size under 5 MiB', () => {
    expect(() => createArtifactStore({ kind: 's3', ...{ endpoint: 'http://h:1', bucket: 'b-b', accessKey: 'a', secretKey: 's', region: 'r' }, partSizeBytes: 1024 })).toThrow(
      /at least 5242880 bytes/,
    );
  });
});
