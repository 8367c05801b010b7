// Which colour is whom while "Who wrote this" is on: one chip per author of the open file, in the colours of
// the bars drawn next to their lines.
import type { BlameReply } from '@tandem/shared';
import { authorColours, authorLabel } from './blameDecorations.ts';

export function AuthorLegend({
  reply,
  present,
}: {
  reply: BlameReply;
  present: ReadonlyMap<string, string>;
}) {
  // Lines nobody is known to have written (empty lines, text from before attribution) need no chip.
  const authors = [...authorColours(reply)].filter(([userId]) => userId !== null);
  return (
    <span className="blame-legend" data-testid="blame-legend">
      {authors.map(([userId, colour]) => (
        <span key={userId} className="blame-legend-author">
          <span className={`blame-swatch blame-author-${colour}`} />
          {authorLabel(reply, userId, present)}
        </span>
      ))}
    </span>
  );
}
