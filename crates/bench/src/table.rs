//! Aligned plain-text tables: numeric columns right-aligned, text columns left-aligned.

/// A table with a title, a header row and data rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with this title and column names.
    pub fn new(title: impl Into<String>, header: &[&str]) -> Self {
        Table {
            title: title.into(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells are blank, extra cells are dropped).
    pub fn row<I, S>(&mut self, cells: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut row: Vec<String> = cells.into_iter().map(Into::into).collect();
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
        self
    }

    /// The table as text, ending with a newline.
    pub fn render(&self) -> String {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        // A column is numeric when every filled data cell starts with a digit or `-`.
        let numeric: Vec<bool> = (0..columns)
            .map(|i| {
                i > 0
                    && self.rows.iter().map(|row| &row[i]).all(|cell| {
                        cell.is_empty()
                            || cell.starts_with(|c: char| c.is_ascii_digit() || c == '-')
                    })
            })
            .collect();
        let line = |cells: &[String]| {
            let mut out = String::from(" ");
            for (i, cell) in cells.iter().enumerate().take(columns) {
                let pad = widths[i] - cell.chars().count();
                out.push(' ');
                if !numeric[i] {
                    out.push_str(cell);
                    out.push_str(&" ".repeat(pad));
                } else {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                }
                out.push_str("  ");
            }
            out.trim_end().to_owned()
        };
        let mut out = format!("{}\n", self.title);
        out.push_str(&line(&self.header));
        out.push('\n');
        let rule: usize = widths.iter().map(|w| w + 3).sum::<usize>();
        out.push_str(&format!("  {}\n", "-".repeat(rule.saturating_sub(3))));
        for row in &self.rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let mut table = Table::new("Overhead", &["client", "median µs", "ratio"]);
        table.row(["raw reqwest", "51.2", "1.000"]);
        table.row(["nodal", "52.0", "1.016"]);
        let text = table.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Overhead");
        assert_eq!(lines.len(), 5);
        // Right-aligned numbers end in the same column.
        let end = |line: &str, needle: &str| {
            let at = line.find(needle).unwrap();
            line[..at].chars().count() + needle.chars().count()
        };
        assert_eq!(end(lines[3], "51.2"), end(lines[4], "52.0"));
        assert_eq!(end(lines[1], "median µs"), end(lines[3], "51.2"));
        assert_eq!(end(lines[1], "ratio"), end(lines[4], "1.016"));
        assert!(lines[3].starts_with("  raw reqwest"));
        assert!(lines[4].starts_with("  nodal      "));
    }

    #[test]
    fn text_columns_are_left_aligned() {
        let mut table = Table::new("Goals", &["goal", "target", "result"]);
        table.row(["a", "≤ 1.03", "met"]);
        table.row(["b", "0", "MISSED (not judged)"]);
        let text = table.render();
        let lines: Vec<&str> = text.lines().collect();
        let start = |line: &str, needle: &str| line[..line.find(needle).unwrap()].chars().count();
        assert_eq!(start(lines[3], "≤ 1.03"), start(lines[4], "0"));
        assert_eq!(start(lines[3], "met"), start(lines[4], "MISSED"));
    }

    #[test]
    fn short_rows_are_padded() {
        let mut table = Table::new("t", &["a", "b"]);
        table.row(["only"]);
        assert!(
            table
                .render()
                .lines()
                .last()
                .unwrap()
                .trim_end()
                .ends_with("only")
        );
    }
}
