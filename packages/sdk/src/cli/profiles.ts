// What the SDK's profile helpers do not offer yet: removing a profile (`atelier logout`). Same file,
// same rules as '@atelier/sdk/node' writeProfile: 0600 through a temp file and a rename.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { readProfiles } from '../node/index.js';

/** Removes a profile; answers whether it was there. */
export function removeProfile(path: string, name: string): boolean {
  const file = readProfiles(path);
  if (!(name in file.profiles)) return false;
  delete file.profiles[name];
  if (file.current === name) delete file.current;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return true;
}
