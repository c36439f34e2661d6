// Building the card's DOM safely: text only through textContent, links only when https:.

/** @param {string} url */
export function safeHttpsUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * An element with attributes (`text` sets textContent, `class` the class) and children.
 * @param {Document} doc
 * @param {string} tag
 * @param {Record<string, unknown> | null} [props]
 * @param {...(Node | string | null | undefined | false)} children
 */
export function el(doc, tag, props, ...children) {
  const node = doc.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = String(value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** @param {string} url */
function hostOf(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/** @param {Document} doc @param {string} url @param {string} text @param {string} [title] */
export function link(doc, url, text, title) {
  const href = safeHttpsUrl(url);
  if (!href) return null;
  return el(doc, 'a', { href, target: '_blank', rel: 'noopener noreferrer', text, title });
}

/** @param {Document} doc @param {{ url: string, quote?: string }[] | undefined} sources */
export function sourceLinks(doc, sources) {
  const list = el(doc, 'span', { class: 'sources' });
  const seen = new Set();
  for (const source of sources ?? []) {
    const href = safeHttpsUrl(source.url);
    if (!href || seen.has(href)) continue;
    seen.add(href);
    list.append(/** @type {HTMLElement} */ (link(doc, href, hostOf(href), source.quote ? `“${source.quote}”` : href)));
  }
  return list;
}

/** Whether the page under `node` is dark, judged by the first opaque background up the tree. @param {Element} node */
export function pageIsDark(node) {
  const view = /** @type {Window} */ (node.ownerDocument.defaultView);
  for (let e = /** @type {Element | null} */ (node); e; e = e.parentElement) {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(view.getComputedStyle(e).backgroundColor);
    if (m && (m[4] === undefined || Number(m[4]) > 0.5)) {
      const [r, g, b] = [m[1], m[2], m[3]].map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b < 110;
    }
  }
  return view.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}
