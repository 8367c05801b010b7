export * from './claims.ts';
export * from './docSchema.ts';
export * from './documentName.ts';
export * from './embed.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './permissions.ts';
export * from './roles.ts';
export { PROTOCOL_VERSION } from './version.ts';
