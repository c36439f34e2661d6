//! Visible text of an HTML document, in blocks, the way the extension's content script sees a
//! page: text flows across inline elements ("<b>Palantir</b> Technologies" is one block), any
//! other element starts a new block, and text nobody reads (scripts, styles, form fields, code,
//! hidden elements) is left out. Native only; the extension walks the live DOM instead.

use scraper::{ElementRef, Html, Node};

/// Elements whose text is never scanned; the same list as `extension/content/blocks.js`
/// (`tests/shared_lists.rs` checks that they agree).
pub const SKIP: &[&str] = &[
    "script", "style", "noscript", "textarea", "input", "select", "option", "code", "pre", "kbd",
    "samp", "template", "iframe", "object", "svg", "math", "canvas", "button", "head", "title",
];
/// Elements text flows across; the same list as `extension/content/blocks.js`.
pub const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font", "i", "ins",
    "label", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var",
];

/// The visible text of `html` as blocks, in document order, empty blocks left out.
pub fn visible_blocks(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut blocks = vec![String::new()];
    walk(document.root_element(), &mut blocks);
    blocks.retain(|b| !b.trim().is_empty());
    blocks
}

fn is_hidden(element: &ElementRef) -> bool {
    let e = element.value();
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if e.attr("contenteditable").is_some_and(|v| v != "false") {
        return true;
    }
    e.attr("style").is_some_and(|style| {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        let style = style.to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

fn walk(element: ElementRef, blocks: &mut Vec<String>) {
    let name = element.value().name();
    if SKIP.contains(&name) || is_hidden(&element) {
        return;
    }
    let inline = INLINE.contains(&name);
    if !inline {
        new_block(blocks);
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => blocks.last_mut().expect("never empty").push_str(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, blocks);
                }
            }
            _ => {}
        }
    }
    if !inline {
        new_block(blocks);
    }
}

fn new_block(blocks: &mut Vec<String>) {
    if !blocks.last().is_some_and(String::is_empty) {
        blocks.push(String::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_elements_join_and_blocks_split() {
        let html = "<html><head><title>Hootsuite</title><script>Hootsuite</script></head><body>\
            <p><b>Palantir</b> Technologies</p><div>Second<p>Inner</p>Tail</div>\
            <pre>Hootsuite</pre><div hidden>Hootsuite</div><span style=\"display: none\">x</span>\
            <p aria-hidden=\"true\">Hidden</p><textarea>Hootsuite</textarea></body></html>";
        assert_eq!(
            visible_blocks(html),
            vec!["Palantir Technologies", "Second", "Inner", "Tail"]
        );
    }
}
