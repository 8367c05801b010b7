export * from './attendance.ts';
export * from './breakouts.ts';
export * from './chat.ts';
export * from './classes.ts';
export * from './controls.ts';
export * from './mentions.ts';
export * from './moderation.ts';
export * from './notices.ts';
