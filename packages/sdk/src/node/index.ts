// @atelier/sdk/node: everything in '@atelier/sdk' plus what needs Node (files, the profiles file).
export * from '../index.js';
export { fileSource, formatFromPath, uploadFile } from './file-source.js';
export { atelierFromProfile, profilesPath, readProfiles, resolveProfile, writeProfile, type Profile, type ProfilesFile, type ResolvedProfile } from './profiles.js';
