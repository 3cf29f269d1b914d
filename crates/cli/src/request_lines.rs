//! `-v`: one line per request, printed when the core's `nodal.request` span closes:
//! `nodana GET /apps/{app_id} -> 200 in 3 ms (attempt 1)`. Only the span's fields are used (the
//! provider, the method, the path *template*, the status and the resend count), so no id, token
//! or body can appear.

use crate::output::{print_stderr, sanitize};
use std::fmt;
use std::time::Instant;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// The span the core opens around each call (all attempts included).
const SPAN: &str = "nodal.request";

/// The tracing layer that prints the lines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestLines;

/// What one request's span has told so far.
#[derive(Debug, Default)]
struct Line {
    started: Option<Instant>,
    provider: String,
    method: String,
    template: String,
    status: Option<u64>,
    resends: u64,
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "nodal.provider" => self.provider = value.to_owned(),
            "http.request.method" => self.method = value.to_owned(),
            "url.template" => self.template = value.to_owned(),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "http.response.status_code" => self.status = Some(value),
            "http.request.resend_count" => self.resends = value,
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record_u64(field, u64::try_from(value).unwrap_or_default());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // Strings recorded with `%`/`?` arrive here; keep only the named fields.
        let text = format!("{value:?}");
        self.record_str(field, text.trim_matches('"'));
    }
}

impl Line {
    fn render(&self) -> String {
        let latency = self
            .started
            .map(|started| started.elapsed().as_millis())
            .unwrap_or_default();
        let status = self
            .status
            .map_or_else(|| "no answer".to_owned(), |code| code.to_string());
        sanitize(&format!(
            "{} {} {} -> {status} in {latency} ms (attempt {})",
            self.provider,
            self.method,
            self.template,
            self.resends.saturating_add(1)
        ))
        .into_owned()
    }
}

impl<S> Layer<S> for RequestLines
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != SPAN {
            return;
        }
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut line = Line {
            started: Some(Instant::now()),
            ..Line::default()
        };
        attrs.record(&mut line);
        span.extensions_mut().insert(line);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        if let Some(line) = span.extensions_mut().get_mut::<Line>() {
            values.record(line);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        if let Some(line) = span.extensions().get::<Line>() {
            print_stderr(&format!("{}\n", line.render()));
        }
    }
}

/// stderr for the `-v`/`-vv` event lines: each event (one write of the formatter) is printed
/// as one sanitised line, so a provider's words inside an event (a retried error's message)
/// cannot drive the terminal or forge a line either.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SafeStderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for SafeStderr {
    type Writer = SafeStderr;

    fn make_writer(&'a self) -> Self::Writer {
        SafeStderr
    }
}

/// One formatted event as one sanitised line (its final line break kept).
fn safe_line(buf: &[u8]) -> String {
    let text = String::from_utf8_lossy(buf);
    let (body, end) = match text.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (&*text, ""),
    };
    format!("{}{end}", sanitize(body))
}

impl std::io::Write for SafeStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        print_stderr(&safe_line(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_lines_stay_one_line_without_control_characters() {
        let line = safe_line(b" WARN retrying: \x1b[32mOK\r\nerror: forged\n");
        assert_eq!(line, " WARN retrying: \\x1b[32mOK\\r\\nerror: forged\n");
    }

    #[test]
    fn a_line_names_method_template_status_latency_and_attempt() {
        let line = Line {
            started: Some(Instant::now()),
            provider: "nodana".into(),
            method: "GET".into(),
            template: "/apps/{app_id}".into(),
            status: Some(200),
            resends: 1,
        };
        let text = line.render();
        assert!(
            text.starts_with("nodana GET /apps/{app_id} -> 200 in "),
            "{text}"
        );
        assert!(text.ends_with(" ms (attempt 2)"), "{text}");
        let lost = Line {
            status: None,
            ..line
        };
        assert!(lost.render().contains("-> no answer in"));
    }
}
