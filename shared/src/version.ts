/** Bumped whenever a JSON protocol in shared/ changes incompatibly; clients send it when they connect. */
export const PROTOCOL_VERSION = 1;
