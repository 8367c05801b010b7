// Class roles, as carried in the token's `role` claim.
export const ROLES = ['instructor', 'assistant', 'student', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Instructors and assistants run the class: they may always write, publish and moderate. */
export function isStaff(role: Role): boolean {
  return role === 'instructor' || role === 'assistant';
}
