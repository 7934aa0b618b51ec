import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import './workbench.css';
import './workshops.css';

export const metadata: Metadata = {
  // Each page names itself first (a tab, a bookmark, a screen reader's announcement tell them apart).
  title: { default: 'Docker lifecycle lab', template: '%s · Docker lifecycle lab' },
  description: 'Learn how a container lives and dies with its main process, on a real Docker engine.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
