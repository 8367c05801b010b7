// A centred message for pages that cannot show a class (no token, unknown address).
import type { ReactNode } from 'react';

export function MessagePage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="message-page">
      <div className="message-card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
