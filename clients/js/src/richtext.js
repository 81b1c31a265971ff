// Courier rich text (docs/protocol.md section 13), read from the sanitized form the server pushes:
// markup only in three canonical elements, text with only &lt; &gt; &amp; &quot;. It is parsed into
// a tree and rendered with DOM nodes and textContent, never innerHTML, so that nothing in a message
// can become markup, whatever it holds.

const TOKEN =
  /<font(?: size="([1-9][0-9]?)")?(?: color="(#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]+)")?>|<\/font>|<img url="(https?:\/\/[^"<>\s]+)" \/>|<shake \/>/g;

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };

/** Decodes the four entities of sanitized text; anything else stays as it is. */
export function decodeText(text) {
  return text.replace(/&(?:lt|gt|amp|quot);/g, (entity) => ENTITIES[entity]);
}

/**
 * The tree of `content`: an array of nodes, each {type: 'text', text}, {type: 'font', size, color,
 * children}, {type: 'img', url} or {type: 'shake'}. An unmatched </font> is text; an unclosed
 * <font> ends with the content.
 */
export function parseRichText(content) {
  const root = { children: [] };
  const stack = [root];
  let last = 0;
  const text = (raw) => {
    if (raw) stack[stack.length - 1].children.push({ type: 'text', text: decodeText(raw) });
  };
  for (const match of content.matchAll(TOKEN)) {
    text(content.slice(last, match.index));
    last = match.index + match[0].length;
    const top = stack[stack.length - 1];
    if (match[0].startsWith('<font')) {
      const font = { type: 'font', children: [] };
      if (match[1]) font.size = Number(match[1]);
      if (match[2]) font.color = match[2];
      top.children.push(font);
      stack.push(font);
    } else if (match[0] === '</font>') {
      if (stack.length > 1) stack.pop();
      else text(match[0]);
    } else if (match[3]) {
      top.children.push({ type: 'img', url: decodeText(match[3]) });
    } else {
      top.children.push({ type: 'shake' });
    }
  }
  text(content.slice(last));
  return root.children;
}

/** The text of `content` without markup, e.g. for a conversation preview. */
export function plainText(content) {
  const walk = (nodes) =>
    nodes
      .map((node) =>
        node.type === 'text' ? node.text : node.type === 'font' ? walk(node.children) : node.type === 'img' ? '[image]' : '[shake]',
      )
      .join('');
  return walk(parseRichText(content));
}

/**
 * Renders `content` into a DocumentFragment of `document`: text nodes, <span> for font (size in px,
 * color), <img> with the URL as src, and a shake marker; `onShake` is called once per shake
 * element (the console shakes the message for a moment).
 */
export function renderRichText(content, document, onShake = () => {}) {
  const fragment = document.createDocumentFragment();
  const build = (nodes, parent) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        parent.appendChild(document.createTextNode(node.text));
      } else if (node.type === 'font') {
        const span = document.createElement('span');
        span.className = 'rt-font';
        if (node.size) span.style.fontSize = `${node.size}px`;
        if (node.color) span.style.color = node.color;
        build(node.children, span);
        parent.appendChild(span);
      } else if (node.type === 'img') {
        const img = document.createElement('img');
        img.className = 'rt-img';
        img.alt = 'image';
        img.referrerPolicy = 'no-referrer';
        img.src = node.url;
        parent.appendChild(img);
      } else {
        const mark = document.createElement('span');
        mark.className = 'rt-shake';
        mark.textContent = '≈';
        mark.title = 'shake';
        parent.appendChild(mark);
        onShake();
      }
    }
  };
  build(parseRichText(content), fragment);
  return fragment;
}
