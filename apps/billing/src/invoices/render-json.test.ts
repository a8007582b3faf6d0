import { describe, expect, it } from 'vitest';

import { computeInvoice } from './invoice-totals.js';
import { parseInvoiceJson, renderInvoiceJson } from './render-json.js';
import { sampleInvoiceDocument } from './sample-invoice.js';

describe('renderInvoiceJson', () => {
  const computed = computeInvoice(sampleInvoiceDocument());

  it('round-trips: what is parsed back equals what was rendered', () => {
    expect(parseInvoiceJson(renderInvoiceJson(computed))).toEqual(computed);
  });

  it('holds every amount as a decimal string, never a JSON number', () => {
    const json = JSON.parse(renderInvoiceJson(computed)) as Record<string, unknown>;
    expect(json).toMatchObject({
      format: 'llmaas.invoice.v1',
      subtotalEur: '4.97',
      vatEur: '0.99',
      totalEur: '5.96',
    });
    const numberKeys = new Set<string>();
    JSON.parse(renderInvoiceJson(computed), (key, value: unknown) => {
      if (typeof value === 'number') numberKeys.add(key);
      return value;
    });
    expect([...numberKeys]).toEqual(['lineNumber']);
  });

  it('refuses a file whose amounts were edited', () => {
    const tampered = renderInvoiceJson(computed).replace(
      '"totalEur": "5.96"',
      '"totalEur": "1.00"',
    );
    expect(() => parseInvoiceJson(tampered)).toThrow(/do not match/);
  });

  it('refuses another format', () => {
    expect(() => parseInvoiceJson('{"format":"something.else"}')).toThrow(/format/);
  });
});
