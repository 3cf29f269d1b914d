//! The one terminal sanitiser: every text a provider (or a server posing as one) supplied
//! passes here before it reaches a terminal, so it cannot move the cursor, recolour or clear
//! the screen, set the window title, or forge a line of its own.
//!
//! Control characters are shown escaped, the way Rust writes them (`\x1b`, `\r`, `\n`, `\t`,
//! `\x07`, `\u{9b}`), so what the provider sent stays readable. Bidirectional overrides, which
//! reorder what is shown, are escaped too. Everything else, including any other Unicode, is
//! kept as it is.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every control character escaped (see the module docs). Borrowed when there is
/// nothing to escape, the usual case.
pub(crate) fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    // `is_control` covers C0 (ESC, CR, LF, BEL, ...), DEL and C1 (U+0080..=U+009F, whose CSI
    // U+009B some terminals obey like `ESC [`).
    c.is_control() || is_bidi_control(c)
}

/// Embeddings, overrides and isolates: they reorder the characters after them on screen.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 && needs_escape(c) => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paints a green "OK: app deleted" over the line, sets the window title, and forges a
    /// second `error:` line.
    const HOSTILE: &str =
        "bad\r\x1b[2K\x1b[32mOK: app deleted\x1b[0m\x1b]0;owned\x07\nerror: forged";

    #[test]
    fn hostile_text_reaches_the_terminal_escaped() {
        let shown = sanitize(HOSTILE);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(
            shown,
            "bad\\r\\x1b[2K\\x1b[32mOK: app deleted\\x1b[0m\\x1b]0;owned\\x07\\nerror: forged"
        );
    }

    #[test]
    fn c1_del_and_bidi_controls_are_escaped() {
        assert_eq!(sanitize("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(sanitize("x\x7fy"), "x\\x7fy");
        assert_eq!(sanitize("\u{202e}txt.exe"), "\\u{202e}txt.exe");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "GET / 200 in 3 ms — naïve ✓";
        assert!(matches!(sanitize(text), Cow::Borrowed(t) if t == text));
    }
}
