// The signed-in person (from the token's claims) and the theme switch.
import type { Theme, TokenClaims } from '@tandem/shared';
import { colorFor } from '../presence/colors.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './icons.tsx';

export function UserChip({
  claims,
  theme,
  onTheme,
}: {
  claims: TokenClaims | null;
  theme: Theme;
  onTheme(t: Theme): void;
}) {
  return (
    <div className="user-chip">
      <button
        type="button"
        className="icon-button"
        title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        onClick={() => onTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
      </button>
      {claims && (
        <>
          <Avatar name={claims.name} color={colorFor(claims.sub)} size="sm" />
          <span className="user-name">{claims.name}</span>
          <span className={`role role-${claims.role}`}>{claims.role}</span>
        </>
      )}
    </div>
  );
}
