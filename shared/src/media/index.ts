export * from './messages.ts';
export * from './model.ts';
export * from './notifications.ts';
export * from './protocol.ts';
export * from './replies.ts';
export * from './rtp.ts';
export * from './rules.ts';
export * from './status.ts';
