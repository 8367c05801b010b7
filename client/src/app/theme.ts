// Light/dark theme: follows the system until set explicitly (toolbar or an embed host's setTheme).
import type { Theme } from '@tandem/shared';
import { useEffect, useState } from 'react';

export function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function useTheme(initial?: Theme): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(initial ?? systemTheme());
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [theme, setTheme];
}
