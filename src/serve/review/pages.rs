//! The review's HTML: the login form, the queue and what the submission page adds around
//! the report (navigation, the decision form and its history). Every value from a record or
//! the database goes through [`escape`]; every form that changes something carries the
//! session's CSRF token.

use super::queue::{
    Decision, DecisionEntry, Filter, Page, QueueRow, SEVERITIES, SORTS, decision_label,
};
use crate::report::escape;
use std::fmt::Write;

const CSS: &str = "body{font-family:sans-serif;margin:1.5em;color:#202020}\
table.queue{border-collapse:collapse;width:100%;font-size:.92em}\
.queue th,.queue td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\
.queue th a{color:inherit}.queue tr:hover{background:#f4f7fb}\
.num{text-align:right!important;font-variant-numeric:tabular-nums}\
.sev-strong{color:#8b0000;font-weight:bold}.sev-warning{color:#c62828}.sev-notice{color:#d55e00}.sev-info{color:#555}\
.filters{display:flex;flex-wrap:wrap;gap:.6em;align-items:end;margin:1em 0}\
.filters label{display:flex;flex-direction:column;font-size:.85em}\
nav{display:flex;gap:1em;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.5em}\
nav form{margin-left:auto}.pager{margin:1em 0}.muted{color:#666}\
.decision{border:1px solid #ccc;padding:.8em;margin:1em 0}.flash{background:#e3f4e6;padding:.4em 1em}\
.err{background:#fde8e4;padding:.4em 1em}";

/// A whole page around `body`.
pub fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{CSS}</style></head><body>{body}</body></html>",
        escape(title)
    )
}

/// The login form.
pub fn login(csrf: &str, error: Option<&str>) -> String {
    let error = error.map(|e| format!("<p class=\"err\">{}</p>", escape(e))).unwrap_or_default();
    document(
        "Handprint review: log in",
        &format!(
            "<h1>Handprint review</h1>{error}<form method=\"post\" action=\"/review/login\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <label>Auditor token <input type=\"password\" name=\"token\" id=\"token\" \
             autocomplete=\"off\" size=\"60\" required></label> \
             <button type=\"submit\" id=\"login\">Log in</button></form>\
             <p class=\"muted\">Ask the platform administrator for a token: \
             <code>handprint serve admin token --role auditor --name NAME</code>.</p>",
            escape(csrf)
        ),
    )
}

/// The navigation bar with the logout form.
pub fn nav(who: &str, csrf: &str) -> String {
    format!(
        "<nav><a href=\"/review\">Queue</a><a href=\"/review/export.csv\">Queue CSV</a>\
         <a href=\"/review/decisions.csv\">Decisions CSV</a>\
         <span class=\"muted\">logged in as <strong id=\"who\">{}</strong></span>\
         <form method=\"post\" action=\"/review/logout\"><input type=\"hidden\" name=\"csrf\" \
         value=\"{}\"><button type=\"submit\">Log out</button></form></nav>",
        escape(who),
        escape(csrf)
    )
}

fn query_string(f: &Filter, page: Option<i64>, sort: Option<(&str, &str)>) -> String {
    let (sort, dir) = sort.unwrap_or((&f.sort, &f.dir));
    let page = page.or(f.page).unwrap_or(1).to_string();
    let pairs = [
        ("task", f.task.as_str()),
        ("trainer", &f.trainer),
        ("severity", &f.severity),
        ("flag", &f.flag),
        ("from", &f.from),
        ("to", &f.to),
        ("decision", &f.decision),
        ("sort", sort),
        ("dir", dir),
        ("page", &page),
    ];
    let encoded: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent(v)))
        .collect();
    escape(&format!("?{}", encoded.join("&")))
}

/// Percent-encodes a query value (everything but unreserved characters, RFC 3986 §2.3).
fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn select(name: &str, current: &str, options: &[(&str, &str)]) -> String {
    let mut h = format!("<select name=\"{name}\" id=\"f-{name}\">");
    for (value, label) in options {
        let sel = if *value == current { " selected" } else { "" };
        let _ = write!(h, "<option value=\"{value}\"{sel}>{label}</option>");
    }
    h + "</select>"
}

/// The queue page.
pub fn queue(nav: &str, f: &Filter, page: &Page, flash: Option<&str>) -> String {
    let mut h = String::from(nav);
    h.push_str("<h1>Review queue</h1>");
    if let Some(m) = flash {
        let _ = write!(h, "<p class=\"flash\">{}</p>", escape(m));
    }
    let input = |name: &str, value: &str, kind: &str, label: &str| {
        format!(
            "<label>{label}<input type=\"{kind}\" name=\"{name}\" id=\"f-{name}\" value=\"{}\"></label>",
            escape(value)
        )
    };
    let severities: Vec<(&str, &str)> =
        std::iter::once(("", "any")).chain(SEVERITIES[1..].iter().map(|s| (*s, *s))).collect();
    let mut decisions: Vec<(&str, &str)> = vec![("", "any"), ("none", "undecided")];
    decisions.extend(Decision::ALL.iter().map(|d| (d.name(), d.label())));
    let _ = write!(
        h,
        "<form method=\"get\" action=\"/review\" class=\"filters\" id=\"filters\">{}{}\
         <label>Severity at least{}</label>{}{}{}<label>Decision{}</label>\
         <input type=\"hidden\" name=\"sort\" value=\"{}\"><input type=\"hidden\" name=\"dir\" value=\"{}\">\
         <button type=\"submit\" id=\"apply\">Filter</button> <a href=\"/review\">clear</a></form>",
        input("task", &f.task, "text", "Task"),
        input("trainer", &f.trainer, "text", "Trainer"),
        select("severity", &f.severity, &severities),
        input("flag", &f.flag, "text", "Flag"),
        input("from", &f.from, "date", "From"),
        input("to", &f.to, "date", "To"),
        select("decision", &f.decision, &decisions),
        escape(&f.sort),
        escape(&f.dir),
    );
    let _ = write!(
        h,
        "<p id=\"count\">{} submission{} · page {} of {}</p>",
        page.total,
        if page.total == 1 { "" } else { "s" },
        page.page,
        page.pages
    );
    h.push_str("<table class=\"queue\" id=\"queue\"><thead><tr>");
    let headers = [
        ("received", "Submitted"),
        ("task", "Task"),
        ("trainer", "Trainer"),
        ("", "Verdict"),
        ("severity", "Severity"),
        ("", "Flags"),
        ("chars", "Chars"),
        ("typed", "Typed"),
        ("pasted", "Pasted"),
        ("decision", "Decision"),
    ];
    for (sort, label) in headers {
        if sort.is_empty() {
            let _ = write!(h, "<th>{label}</th>");
            continue;
        }
        debug_assert!(SORTS.iter().any(|(s, _)| *s == sort));
        let active = f.sort == sort || (f.sort.is_empty() && sort == "received");
        let descending = f.dir != "asc";
        let dir = if active && descending { "asc" } else { "desc" };
        let arrow = match (active, descending) {
            (true, true) => " ▼",
            (true, false) => " ▲",
            _ => "",
        };
        let _ = write!(
            h,
            "<th><a href=\"/review{}\" id=\"sort-{sort}\">{label}{arrow}</a></th>",
            query_string(f, Some(1), Some((sort, dir)))
        );
    }
    h.push_str("</tr></thead><tbody>");
    for r in &page.rows {
        row(&mut h, r);
    }
    h.push_str("</tbody></table><p class=\"pager\">");
    if page.page > 1 {
        let _ = write!(
            h,
            "<a href=\"/review{}\" id=\"prev\">← previous</a> ",
            query_string(f, Some(page.page - 1), None)
        );
    }
    if page.page < page.pages {
        let _ = write!(
            h,
            "<a href=\"/review{}\" id=\"next\">next →</a>",
            query_string(f, Some(page.page + 1), None)
        );
    }
    let _ = write!(
        h,
        "</p><p><a href=\"/review/export.csv{}\">Export these rows as CSV</a></p>",
        query_string(f, None, None)
    );
    document("Handprint review queue", &h)
}

fn row(h: &mut String, r: &QueueRow) {
    let verdict = format!(
        "{}{}{}",
        if r.valid { "valid" } else { "INVALID" },
        if r.pinned { " · pinned" } else { " · not pinned" },
        if r.witnessed { " · witnessed" } else { "" }
    );
    let sev = SEVERITIES.get(r.severity as usize).copied().unwrap_or("none");
    let received = r.received.get(..19).unwrap_or(&r.received).replace('T', " ");
    let _ = write!(
        h,
        "<tr data-id=\"{id}\"><td><a href=\"/review/s/{id}\">{received}</a></td><td>{task}</td>\
         <td title=\"{trainer}\">{name}</td><td>{verdict}</td><td class=\"sev-{sev}\">{sev}</td>\
         <td>{flags}</td><td class=\"num\">{chars}</td><td class=\"num\">{typed:.0}%</td>\
         <td class=\"num\">{pasted:.0}%</td><td class=\"decision-cell\">{decision}</td></tr>",
        id = escape(&r.submission),
        received = escape(&received),
        task = escape(&r.task),
        trainer = escape(&r.trainer),
        name = escape(&r.trainer_name),
        flags = escape(&r.flags.join(", ")),
        chars = r.text_chars,
        typed = r.typed_pm as f64 / 10.0,
        pasted = r.pasted_pm as f64 / 10.0,
        decision = decision_label(&r.decision),
    );
}

/// The decision form and the submission's audit log, shown under the verdict.
pub fn decision_panel(id: &str, current: &str, history: &[DecisionEntry], csrf: &str) -> String {
    let mut h = format!(
        "<div class=\"decision\" id=\"decision\"><h3>Decision: <span id=\"current-decision\">{}</span></h3>\
         <form method=\"post\" action=\"/review/s/{}/decision\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        decision_label(current),
        escape(id),
        escape(csrf)
    );
    for d in Decision::ALL {
        let checked = if d.name() == current { " checked" } else { "" };
        let _ = write!(
            h,
            "<label><input type=\"radio\" name=\"decision\" value=\"{0}\" id=\"d-{0}\"{checked}> {1}</label> ",
            d.name(),
            d.label()
        );
    }
    h.push_str(
        "<br><label>Note<br><textarea name=\"note\" id=\"note\" rows=\"3\" cols=\"70\"></textarea></label>\
         <br><button type=\"submit\" id=\"decide\">Record decision</button></form>",
    );
    if !history.is_empty() {
        h.push_str("<h4>Audit log</h4><table id=\"history\">");
        for e in history {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&e.at),
                escape(&e.who),
                decision_label(&e.decision),
                escape(&e.note)
            );
        }
        h.push_str("</table>");
    }
    h + "</div>"
}

/// The facts of the queue row above the report.
pub fn submission_header(nav: &str, r: &QueueRow, flash: Option<&str>) -> String {
    let mut h = String::from(nav);
    if let Some(m) = flash {
        let _ = write!(h, "<p class=\"flash\" id=\"flash\">{}</p>", escape(m));
    }
    let _ = write!(
        h,
        "<p class=\"muted\">Submission <code>{}</code> · task <strong>{}</strong> · trainer \
         <strong>{}</strong> (<code>{}</code>) · received {}</p>",
        escape(&r.submission),
        escape(&r.task),
        escape(&r.trainer_name),
        escape(&r.trainer),
        escape(&r.received)
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_percent_encoded_and_escaped_in_links() {
        let f = Filter { task: "a&b \"<x>".into(), ..Filter::default() };
        let q = query_string(&f, Some(2), None);
        assert_eq!(q, "?task=a%26b%20%22%3Cx%3E&amp;page=2");
    }
}
