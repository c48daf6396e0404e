// Dark/light: the OS preference by default; the toggle's choice (kept in localStorage, it is not a
// secret) wins. Charts listen for THEME_EVENT to redraw in the new colours.
import { useState } from 'preact/hooks';
import { THEME_EVENT } from '../charts/plot.js';

type Theme = 'light' | 'dark' | 'system';
const KEY = 'atelier.console.theme';

function stored(): Theme {
  const t = localStorage.getItem(KEY);
  return t === 'light' || t === 'dark' ? t : 'system';
}

export function applyStoredTheme(): void {
  const t = stored();
  if (t === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(stored);
  const next: Record<Theme, Theme> = { system: 'dark', dark: 'light', light: 'system' };
  return (
    <button
      type="button"
      class="btn small theme-toggle"
      aria-label={`Colour theme: ${theme}. Switch to ${next[theme]}.`}
      onClick={() => {
        const t = next[theme];
        if (t === 'system') localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, t);
        setTheme(t);
        applyStoredTheme();
        window.dispatchEvent(new Event(THEME_EVENT));
      }}
    >
      Theme: {theme}
    </button>
  );
}
