import { describe, expect, it } from 'vitest';

import { el, escapeXml, writeXmlDocument } from './xml-writer.js';

describe('xml-writer', () => {
  it('escapes markup characters and drops characters XML 1.0 cannot hold', () => {
    expect(escapeXml(`a & b < c > d "e" 'f'\u0001`)).toBe(
      'a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;',
    );
  });

  it('writes nested elements with attributes, leaving out absent children', () => {
    const xml = writeXmlDocument(
      el('r:root', [el('r:a', 'x & y', { id: '1"2' }), undefined, el('r:empty')], {
        'xmlns:r': 'urn:r',
      }),
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<r:root xmlns:r="urn:r">\n  <r:a id="1&quot;2">x &amp; y</r:a>\n  <r:empty/>\n</r:root>\n',
    );
  });
});
