// Small inline SVG icons (no icon font, no emoji: they render the same on every system).
import type { ReactNode } from 'react';

const PATHS = {
  logo: <path d="M4 4h10v10H4zM10 10h10v10H10z" />,
  hand: (
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V12m0-7.5a1.5 1.5 0 0 1 3 0V12m0-5.5a1.5 1.5 0 0 1 3 0V14a6 6 0 0 1-6 6h-1a6 6 0 0 1-5-2.7L3.3 14a1.5 1.5 0 0 1 2.4-1.8L8 15" />
  ),
  select: <path d="M5 3l14 8-6 1.5L10 19z" />,
  pen: <path d="M4 20l4-1L19 8l-3-3L5 16zM14 7l3 3" />,
  rect: <rect x="4" y="6" width="16" height="12" rx="1" />,
  ellipse: <ellipse cx="12" cy="12" rx="8" ry="6" />,
  line: <path d="M5 19L19 5" />,
  arrow: <path d="M5 19L19 5M10 5h9v9" />,
  text: <path d="M5 6V4h14v2M12 4v16M9 20h6" />,
  sticky: <path d="M4 4h16v11l-5 5H4zM15 20v-5h5" />,
  eraser: <path d="M8 20h12M5 15l9-9 5 5-7 7H8z" />,
  undo: <path d="M9 7L4 12l5 5M4 12h10a6 6 0 0 1 0 12" />,
  redo: <path d="M15 7l5 5-5 5M20 12H10a6 6 0 0 0 0 12" />,
  trash: <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />,
  mic: <path d="M12 3a3 3 0 0 1 3 3v6a3 3 0 0 1-6 0V6a3 3 0 0 1 3-3zM5 11a7 7 0 0 0 14 0M12 18v3" />,
  micOff: (
    <path d="M3 3l18 18M9 9v3a3 3 0 0 0 5 2.2M15 10V6a3 3 0 0 0-6-.5M5 11a7 7 0 0 0 11.5 5.3M19 11a7 7 0 0 1-.6 2.8M12 18v3" />
  ),
  cam: <path d="M3 7h12v10H3zM15 10l6-3v10l-6-3" />,
  camOff: <path d="M3 3l18 18M15 11l6-4v10l-3-2M15 15v2H3V7h4" />,
  screen: <path d="M3 4h18v12H3zM8 20h8M12 16v4" />,
  moon: <path d="M20 14A8 8 0 1 1 10 4a6 6 0 0 0 10 10z" />,
  sun: (
    <path d="M12 8a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM12 2v2M12 20v2M2 12h2M20 12h2M5 5l1.5 1.5M17.5 17.5L19 19M5 19l1.5-1.5M17.5 6.5L19 5" />
  ),
  plus: <path d="M12 5v14M5 12h14" />,
  edit: <path d="M4 20h4L19 9l-4-4L4 16zM13 7l4 4" />,
  close: <path d="M6 6l12 12M18 6L6 18" />,
  pin: <path d="M9 4h6M10 4v6l-3 4h10l-3-4V4M12 14v6" />,
  fullscreen: <path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" />,
  exitFullscreen: <path d="M9 4v5H4M20 9h-5V4M15 20v-5h5M4 15h5v5" />,
  gallery: <path d="M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z" />,
  speakerView: <path d="M3 4h18v11H3zM3 18h5v2H3zM10 18h4v2h-4zM16 18h5v2h-5z" />,
  moveCorner: <path d="M4 14v6h6M20 10V4h-6M4 20l7-7M20 4l-7 7" />,
  stage: <path d="M3 5h18v12H3zM8 21h8M7 9h6M7 12h9" />,
  eye: <path d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 1 0 6 3 3 0 0 1 0-6z" />,
  eyeOff: (
    <path d="M3 3l18 18M10.6 5.1A9.8 9.8 0 0 1 12 5c6 0 10 7 10 7a17 17 0 0 1-3.2 3.9M6.5 6.6C3.8 8.4 2 12 2 12s4 7 10 7a9.6 9.6 0 0 0 4.4-1.1M9.9 9.9a3 3 0 0 0 4.2 4.2" />
  ),
  bell: <path d="M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21a2 2 0 0 0 4 0" />,
  megaphone: <path d="M3 10v4h4l8 4V6l-8 4zM18.5 9a4 4 0 0 1 0 6" />,
  at: <path d="M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0v1.5a2.5 2.5 0 0 0 5 0V12a9 9 0 1 0-3.5 7.1" />,
  reply: <path d="M10 7l-6 5 6 5M4 12h10a6 6 0 0 1 6 6" />,
  play: <path d="M7 4l13 8-13 8z" />,
  poll: <path d="M5 20V10M12 20V4M19 20v-7" />,
} satisfies Record<string, ReactNode>;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, title }: { name: IconName; size?: number; title?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={title ? 'img' : undefined}
      aria-hidden={title ? undefined : true}
      aria-label={title}
    >
      {PATHS[name]}
    </svg>
  );
}
