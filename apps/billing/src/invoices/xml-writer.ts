// A few lines of XML writing instead of a dependency: the documents we write are small, fixed in
// shape, and only need escaping and indentation done right.

export interface XmlElement {
  name: string;
  attributes?: Record<string, string>;
  /** Text content, or child elements; an element with neither is written empty. */
  content?: string | XmlElement[];
}

/** An element; children that are `undefined` (absent optional terms) are left out. */
export function el(
  name: string,
  content?: string | (XmlElement | undefined)[],
  attributes?: Record<string, string>,
): XmlElement {
  const children = Array.isArray(content)
    ? content.filter((c): c is XmlElement => c !== undefined)
    : content;
  return {
    name,
    ...(attributes === undefined ? {} : { attributes }),
    ...(children === undefined ? {} : { content: children }),
  };
}

export function writeXmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeXml(root, 0)}\n`;
}

export function writeXml(node: XmlElement, depth: number): string {
  const indent = '  '.repeat(depth);
  const attributes = Object.entries(node.attributes ?? {})
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const { content } = node;
  if (content === undefined || content.length === 0) return `${indent}<${node.name}${attributes}/>`;
  if (typeof content === 'string')
    return `${indent}<${node.name}${attributes}>${escapeXml(content)}</${node.name}>`;
  const children = content.map((child) => writeXml(child, depth + 1)).join('\n');
  return `${indent}<${node.name}${attributes}>\n${children}\n${indent}</${node.name}>`;
}

/** Escapes text and attribute values; drops the control characters XML 1.0 cannot carry at all. */
export function escapeXml(value: string): string {
  return [...value]
    .filter(isXmlChar)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** XML 1.0 allows tab, line feed and carriage return, but no other control character. */
function isXmlChar(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return code !== 0xfffe && code !== 0xffff;
}
