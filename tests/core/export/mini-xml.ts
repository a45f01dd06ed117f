/**
 * A small strict-enough XML parser for the tests (no xmllint on this machine): checks well-formedness (one root,
 * matching end tags, quoted unique attributes, known entities, nothing outside the root but the declaration,
 * comments and whitespace) and returns an element tree with decoded attributes and text.
 */

/** A parsed element. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(s: string, where: number): string {
  const bad = s.replace(ENTITY, '').match(/[&<]/);
  if (bad) throw new Error(`Invalid XML: bare '${bad[0]}' near ${where}`);
  return s.replace(ENTITY, (_m, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Parses the document; throws `Invalid XML: ...` on the first well-formedness error. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('Invalid XML: unterminated declaration');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(text, i);
    else if (text.trim() !== '') throw new Error(`Invalid XML: text outside the root near ${i}`);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) throw new Error('Invalid XML: unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml[lt + 1] === '/') {
      const end = xml.indexOf('>', lt);
      const name = xml.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`Invalid XML: </${name}> closes <${open?.name}> near ${lt}`);
      i = end + 1;
      continue;
    }
    let j = lt + 1;
    const m = NAME.exec(xml.slice(j));
    if (!m) throw new Error(`Invalid XML: bad tag near ${lt}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    j += m[0].length;
    for (;;) {
      while (/\s/.test(xml[j]!)) j++;
      if (xml.startsWith('/>', j) || xml[j] === '>') break;
      const a = NAME.exec(xml.slice(j));
      if (!a) throw new Error(`Invalid XML: bad attribute in <${el.name}> near ${j}`);
      j += a[0].length;
      if (xml[j] !== '=' || (xml[j + 1] !== '"' && xml[j + 1] !== "'")) {
        throw new Error(`Invalid XML: unquoted attribute ${a[0]} near ${j}`);
      }
      const q = xml[j + 1]!;
      const end = xml.indexOf(q, j + 2);
      if (a[0] in el.attrs) throw new Error(`Invalid XML: duplicate attribute ${a[0]}`);
      el.attrs[a[0]] = decode(xml.slice(j + 2, end), j);
      j = end + 1;
      if (!/[\s/>]/.test(xml[j]!)) throw new Error(`Invalid XML: no space after attribute ${a[0]}`);
    }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error('Invalid XML: second root element');
    else root = el;
    if (xml.startsWith('/>', j)) i = j + 2;
    else {
      stack.push(el);
      i = j + 1;
    }
  }
  if (stack.length > 0) throw new Error(`Invalid XML: <${stack[stack.length - 1]!.name}> not closed`);
  if (!root) throw new Error('Invalid XML: no root element');
  return root;
}

/** Children of el with this name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The single child of el with this name; throws when there is none or several. */
export function child(el: XmlElement, name: string): XmlElement {
  const c = childrenNamed(el, name);
  if (c.length !== 1) throw new Error(`expected one <${name}> in <${el.name}>, found ${c.length}`);
  return c[0]!;
}
