import { describe, expect, it } from 'vitest';
import type { ChangeSet } from './changes.js';
import { renderChangeSet } from './render.js';

const HOSTILE = 'evil\n  + account forged <x@y> in Root\u001b[2J\u202e<script>|`';

describe('renderChangeSet with hostile names', () => {
  it('keeps one line per change and shows control characters as escapes', () => {
    const cs: ChangeSet = {
      changes: [
        { kind: 'create-ou', key: 'ou', path: `Root/${HOSTILE}`, tags: { [`k${HOSTILE}`]: HOSTILE } },
        { kind: 'create-account', key: 'a', name: HOSTILE, email: 'a@example.com', ouPath: 'Root', tags: {} },
      ],
      notes: [`note with ${HOSTILE}`],
    };
    const text = renderChangeSet(cs);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('  + account forged'))).toEqual([]);
    expect(lines).toContain('  + account evil\\n  + account forged <x@y> in Root\\x1b[2J\\u202e<script>|` <a@example.com> in Root');
    expect(lines).toHaveLength(6); // two group titles, two changes, one note, the count line
  });
});
