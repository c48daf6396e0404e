import { describe, expect, it } from 'vitest';
import { artifactKeyProblem, artifactPrefixProblem, assertValidArtifactKey, compareArtifactKeys } from './artifact-key.js';
import { BAD_KEYS } from './artifact-store.conformance.js';
import { InvalidArtifactKeyError } from './errors.js';

describe('artifact keys', () => {
  it.each([
    'a',
    'datasets/churn/v3/data.parquet',
    '.hidden/...',
    'a..b/c.d',
    'sp ace/plus+%/ünï/😀',
    `k/${'x'.repeat(255)}`,
  ])('accepts %j', (key) => {
    expect(artifactKeyProblem(key)).toBeNull();
    expect(() => assertValidArtifactKey(key)).not.toThrow();
  });

  it.each(BAD_KEYS)('rejects a key with %s', (_label, key) => {
    expect(artifactKeyProblem(key)).toEqual(expect.any(String));
  });

  it('names the key and the reason in the error', () => {
    const err = (() => {
      try {
        assertValidArtifactKey('models/../etc/passwd');
      } catch (e) {
        return e;
      }
    })() as InvalidArtifactKeyError;
    expect(err).toBeInstanceOf(InvalidArtifactKeyError);
    expect(err.code).toBe('ATL_INVALID_ARTIFACT_KEY');
    expect(err.statusCode).toBe(400);
    expect(err.reason).toBe("segment 1 is '..' (relative path segments are not allowed)");
    expect(err.message).toContain('"models/../etc/passwd"');
  });

  it('counts the 1024-byte limit in UTF-8 bytes, not characters', () => {
    expect(artifactKeyProblem(`${'a'.repeat(200)}/`.repeat(5) + 'a'.repeat(19))).toBeNull(); // 1024 bytes
    expect(artifactKeyProblem(`${'a'.repeat(200)}/`.repeat(5) + 'a'.repeat(20))).toMatch(/1025 bytes/);
    // 515 characters but 1025 bytes: 'é' is two bytes in UTF-8.
    expect(artifactKeyProblem(`${'é'.repeat(100)}/`.repeat(5) + 'é'.repeat(10))).toMatch(/1025 bytes/);
  });

  it('reserves the .atelier first segment for the stores', () => {
    expect(artifactKeyProblem('.atelier/staging/x')).toMatch(/reserved/);
    expect(artifactKeyProblem('x/.atelier/y')).toBeNull();
    expect(artifactPrefixProblem('.atelier/')).toMatch(/reserved/);
  });

  it('accepts partial and empty last segments in prefixes only', () => {
    expect(artifactPrefixProblem('')).toBeNull();
    expect(artifactPrefixProblem('models/')).toBeNull();
    expect(artifactPrefixProblem('models/v')).toBeNull();
    expect(artifactPrefixProblem('models//')).toMatch(/empty/);
    expect(artifactPrefixProblem('/models')).toMatch(/starts with/);
    expect(artifactPrefixProblem('models/../x/')).toMatch(/'\.\.'/);
  });

  it('orders keys byte-wise in UTF-8, like S3 listings', () => {
    const keys = ['p/ü', 'p/a/x', 'p/a-1', 'p/Z', 'p/\uffff', 'p/😀'];
    expect([...keys].sort(compareArtifactKeys)).toEqual(['p/Z', 'p/a-1', 'p/a/x', 'p/ü', 'p/\uffff', 'p/😀']);
  });
});
