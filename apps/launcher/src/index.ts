export { startPlatform, ALL_IN_ONE, type AppName, type PlatformHandle, type SharedResources } from './platform.js';
export { PlatformConfigError, platformConfigFromEnv, type PlatformConfig } from './platform.config.js';
