//! Aligned plain-text tables, optionally coloured.

use super::sanitize::sanitize;
use std::borrow::Cow;

/// How a cell is coloured when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// No colour.
    Plain,
    /// Green: running, available, ok.
    Good,
    /// Yellow: pending, in progress, skipped.
    Busy,
    /// Red: failed, errors.
    Bad,
    /// Dimmed: missing values.
    Dim,
}

impl Tone {
    fn ansi(self) -> Option<&'static str> {
        match self {
            Tone::Plain => None,
            Tone::Good => Some("\x1b[32m"),
            Tone::Busy => Some("\x1b[33m"),
            Tone::Bad => Some("\x1b[31m"),
            Tone::Dim => Some("\x1b[2m"),
        }
    }

    /// The tone of a status word (`running`, `pending`, `failed`, ...).
    pub(crate) fn of_status(word: &str) -> Tone {
        match word.to_ascii_lowercase().as_str() {
            "running" | "available" | "online" | "verified" | "ok" => Tone::Good,
            "pending" | "in_progress" | "starting" | "waiting" | "created" | "deploying"
            | "skipped" => Tone::Busy,
            "failed" | "error" | "crashed" => Tone::Bad,
            "stopped" | "cordoned" | "offline" | "expired" | "deleted" => Tone::Dim,
            _ => Tone::Plain,
        }
    }
}

/// One cell: its text and tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell {
    text: String,
    tone: Tone,
}

impl Cell {
    /// A cell with a tone. Its text passes the terminal sanitiser here, once, so widths are
    /// measured on what is printed and no cell can drive the terminal.
    pub(crate) fn toned(text: impl Into<String>, tone: Tone) -> Self {
        let text = text.into();
        let text = match sanitize(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(escaped) => escaped,
        };
        Cell { text, tone }
    }

    /// A status word, coloured by its meaning.
    pub(crate) fn status(word: &str) -> Self {
        Cell::toned(word, Tone::of_status(word))
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::toned(text, Tone::Plain)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::toned(text, Tone::Plain)
    }
}

impl From<Option<&str>> for Cell {
    fn from(text: Option<&str>) -> Self {
        match text {
            Some(text) if !text.is_empty() => Cell::from(text),
            _ => Cell::toned("-", Tone::Dim),
        }
    }
}

impl From<Option<String>> for Cell {
    fn from(text: Option<String>) -> Self {
        Cell::from(text.as_deref())
    }
}

/// A table with a header row, or a two-column list of fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
    empty: String,
}

impl Table {
    /// A table with these column headers.
    pub(crate) fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            empty: "(none)".to_owned(),
        }
    }

    /// A two-column FIELD / VALUE list without a header row.
    pub(crate) fn fields() -> Self {
        Table::new(&[])
    }

    /// The line printed instead of the table when it has no rows.
    pub(crate) fn when_empty(mut self, message: impl Into<String>) -> Self {
        self.empty = message.into();
        self
    }

    /// Adds a row.
    pub(crate) fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// Adds a field to a field list.
    pub(crate) fn field(&mut self, name: &str, value: impl Into<Cell>) {
        self.rows.push(vec![Cell::from(name), value.into()]);
    }

    /// The text, with ANSI colours when `color` is on. Columns are separated by two spaces and
    /// the last column is not padded.
    pub(crate) fn render(&self, color: bool) -> String {
        if self.rows.is_empty() {
            return format!("{}\n", self.empty);
        }
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        let mut widths = vec![0usize; columns];
        let lines = self.headers.iter().map(String::as_str);
        for (i, header) in lines.enumerate() {
            widths[i] = widths[i].max(width(header));
        }
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(width(&cell.text));
            }
        }
        let mut out = String::new();
        if !self.headers.is_empty() {
            let header: Vec<Cell> = self
                .headers
                .iter()
                .map(|h| Cell::toned(h.clone(), Tone::Plain))
                .collect();
            push_line(&mut out, &header, &widths, color, true);
        }
        for row in &self.rows {
            push_line(&mut out, row, &widths, color, false);
        }
        out
    }
}

fn push_line(out: &mut String, cells: &[Cell], widths: &[usize], color: bool, header: bool) {
    let last = cells.len().saturating_sub(1);
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        let text = &cell.text;
        let style = if header {
            Some("\x1b[1m")
        } else {
            cell.tone.ansi()
        };
        match style.filter(|_| color) {
            Some(code) => {
                line.push_str(code);
                line.push_str(text);
                line.push_str("\x1b[0m");
            }
            None => line.push_str(text),
        }
        if i != last {
            let pad = widths[i].saturating_sub(width(text)) + 2;
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out.push_str(&line);
    out.push('\n');
}

/// Display width, counting each character as one column (enough for ids, names and statuses).
fn width(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_without_colour() {
        let mut table = Table::new(&["ID", "STATUS"]);
        table.row(vec!["a-1".into(), Cell::status("running")]);
        table.row(vec!["app-22".into(), Cell::status("pending")]);
        assert_eq!(
            table.render(false),
            "ID      STATUS\na-1     running\napp-22  pending\n"
        );
    }

    #[test]
    fn colour_wraps_toned_cells_only_when_on() {
        let mut table = Table::new(&["STATUS"]);
        table.row(vec![Cell::status("failed")]);
        let coloured = table.render(true);
        assert!(coloured.contains("\x1b[31mfailed\x1b[0m"), "{coloured:?}");
        assert!(!table.render(false).contains('\x1b'));
    }

    #[test]
    fn an_empty_table_prints_its_message() {
        let table = Table::new(&["ID"]).when_empty("no apps");
        assert_eq!(table.render(false), "no apps\n");
    }

    #[test]
    fn fields_have_no_header_and_missing_values_show_a_dash() {
        let mut table = Table::fields();
        table.field("ID", "p-1");
        table.field("CREATED", None::<String>);
        assert_eq!(table.render(false), "ID       p-1\nCREATED  -\n");
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let mut table = Table::new(&["MSG", "ID"]);
        table.row(vec!["evil\x1b[2Jtext\n".into(), "a-1".into()]);
        let shown = table.render(false);
        assert!(!shown.contains('\x1b'), "{shown:?}");
        assert_eq!(shown, "MSG                ID\nevil\\x1b[2Jtext\\n  a-1\n");
    }
}
