// XML in and out for EC Express. Everything we write goes through XMLBuilder (it escapes & < > " ' in
// text and attributes); empty values are dropped rather than rendered as `undefined` or empty tags.
// Everything we read is parsed with tag and attribute names lower-cased (TD SYNNEX's samples disagree on
// case: `PriceAvailabilityList` vs `priceAvailabilityList`, `synnexSKU` vs `synnexSku`), every value kept
// as text (SKUs, ZIP codes and PO numbers keep their leading zeros), and every element that can repeat
// always an array, whether one child came or many — the trap of hand-rolled SYNNEX clients.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** Elements that can occur more than once where they appear (lower-case). */
export const REPEATING = new Set([
  'skulist', 'priceavailabilitylist', 'availabilitybywarehouse', 'item', 'package', 'serialno', 'invoice', 'tracking',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  transformTagName: (name) => name.toLowerCase(),
  transformAttributeName: (name) => name.toLowerCase(),
  isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && REPEATING.has(name.toLowerCase()),
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, processEntities: true, suppressEmptyNode: true });

export type XmlDocument = Record<string, unknown>;

export class MalformedXmlError extends Error {
  override name = 'MalformedXmlError';
}

/** Parses a document; throws MalformedXmlError (with the parser's position, never the text) when it is not XML. */
export function parseXml(text: string): XmlDocument {
  const trimmed = text.trim();
  if (!trimmed.startsWith('<')) throw new MalformedXmlError('the body is not XML');
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) throw new MalformedXmlError(`${valid.err.code} at line ${valid.err.line}, column ${valid.err.col}`);
  const doc = parser.parse(trimmed) as XmlDocument;
  delete doc['?xml'];
  return doc;
}

/** Builds a document from `{ Root: {...} }`; `@_name` keys are attributes; null/undefined/'' are left out. */
export function buildXml(doc: XmlDocument): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(prune(doc))}`;
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** The single root element's name and content. */
export function root(doc: XmlDocument): { name: string; content: Record<string, unknown> } {
  const [name] = Object.keys(doc);
  const content = name ? doc[name] : undefined;
  return { name: name ?? '', content: content && typeof content === 'object' ? (content as Record<string, unknown>) : {} };
}
