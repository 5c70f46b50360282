//! The review queue's data: one indexed row per submission (taken from the stored report
//! when the submission arrives), the filtered and sorted page an auditor sees, the
//! decisions with their audit log, and the CSV exports. Plain functions over the pool, so
//! they are tested and benchmarked without HTTP.

use crate::serve::error::ApiError;
use crate::serve::random::random_hex;
use crate::serve::store::text;
use serde::Deserialize;
use sqlx::{AnyPool, Row};

/// Rows per page of the queue.
pub const PAGE_SIZE: i64 = 50;
/// Most rows one CSV export holds (a platform wanting more filters by date).
pub const EXPORT_LIMIT: i64 = 200_000;
/// Longest note on a decision.
pub const NOTE_MAX: usize = 4000;

/// Flag severities by rank as stored in `review_queue.severity` (0 = no flag).
pub const SEVERITIES: [&str; 5] = ["none", "info", "notice", "warning", "strong"];

/// What an auditor decides about a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accepted,
    FollowUp,
    Rejected,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Accepted, Decision::FollowUp, Decision::Rejected];

    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::FollowUp => "follow_up",
            Decision::Rejected => "rejected",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::FollowUp => "needs follow-up",
            Decision::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.name() == s)
    }
}

/// The label of a stored decision name ("" = not decided yet).
pub fn decision_label(name: &str) -> &'static str {
    Decision::parse(name).map_or("undecided", Decision::label)
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub submission: String,
    pub task: String,
    pub trainer: String,
    pub trainer_name: String,
    /// When the service received it (RFC 3339, UTC).
    pub received: String,
    pub valid: bool,
    /// Signed by the trainer's enrolled key.
    pub pinned: bool,
    /// The service witnessed the writing (receipts in the journal).
    pub witnessed: bool,
    /// Rank in [`SEVERITIES`] of the most severe flag.
    pub severity: i64,
    /// Flag ids.
    pub flags: Vec<String>,
    pub text_chars: i64,
    /// Shares of the final text typed here / pasted from outside, per mille.
    pub typed_pm: i64,
    pub pasted_pm: i64,
    /// The latest decision's name, "" when none yet.
    pub decision: String,
}

/// What the queue is filtered and sorted by (the query string of `/review`). Empty fields
/// mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Filter {
    pub task: String,
    /// A trainer id (`tr_…`) or name.
    pub trainer: String,
    /// Lowest severity shown, a name of [`SEVERITIES`].
    pub severity: String,
    /// A flag id.
    pub flag: String,
    /// Received on or after this day (YYYY-MM-DD).
    pub from: String,
    /// Received on or before this day (YYYY-MM-DD).
    pub to: String,
    /// A decision name, or `none` for undecided.
    pub decision: String,
    /// A column of [`SORTS`].
    pub sort: String,
    /// `asc` or `desc` (the default).
    pub dir: String,
    /// 1-based.
    pub page: Option<i64>,
}

/// Sortable columns: the name in the query string and the SQL column.
pub const SORTS: [(&str, &str); 8] = [
    ("received", "received"),
    ("task", "task"),
    ("trainer", "trainer_name"),
    ("severity", "severity"),
    ("chars", "text_chars"),
    ("typed", "typed_pm"),
    ("pasted", "pasted_pm"),
    ("decision", "decision"),
];

/// One page of the queue.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<QueueRow>,
    /// Rows matching the filter, over all pages.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

const COLUMNS: &str = "submission, task, trainer, trainer_name, received, valid, pinned, witnessed, \
     severity, flags, text_chars, typed_pm, pasted_pm, decision";

impl Filter {
    /// The WHERE clause and its parameters, from fixed SQL fragments only: every value is a
    /// bound parameter, every column name comes from this code.
    fn where_clause(&self) -> Result<(String, Vec<String>), ApiError> {
        let mut clauses = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut bind = |clause: &str, value: String, binds: &mut Vec<String>| {
            binds.push(value);
            clauses.push(clause.replace('?', &format!("${}", binds.len())));
        };
        let task = self.task.trim();
        if !task.is_empty() {
            bind("task = ?", task.to_owned(), &mut binds);
        }
        let trainer = self.trainer.trim();
        if trainer.starts_with("tr_") {
            bind("trainer = ?", trainer.to_owned(), &mut binds);
        } else if !trainer.is_empty() {
            bind("trainer_name = ?", trainer.to_owned(), &mut binds);
        }
        let flag = self.flag.trim();
        if !flag.is_empty() {
            bind("flags LIKE ?", format!("%,{flag},%"), &mut binds);
        }
        if let Some(day) = day(&self.from)? {
            bind("received >= ?", day.format("%Y-%m-%d").to_string(), &mut binds);
        }
        if let Some(day) = day(&self.to)? {
            let next = day.succ_opt().unwrap_or(day);
            bind("received < ?", next.format("%Y-%m-%d").to_string(), &mut binds);
        }
        match self.decision.trim() {
            "" => {}
            "none" => bind("decision = ?", String::new(), &mut binds),
            d => match Decision::parse(d) {
                Some(d) => bind("decision = ?", d.name().to_owned(), &mut binds),
                None => return Err(bad("decision must be accepted, follow_up, rejected or none")),
            },
        }
        // Severity is a small integer: a literal from a fixed list, not a parameter, so the
        // Any driver does not have to guess the parameter's type.
        let severity = self.severity.trim();
        if !severity.is_empty() {
            let rank = SEVERITIES
                .iter()
                .position(|s| *s == severity)
                .ok_or_else(|| bad("severity must be none, info, notice, warning or strong"))?;
            clauses.push(format!("severity >= {rank}"));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        Ok((sql, binds))
    }

    /// The ORDER BY clause (a column of [`SORTS`]; newest first by default).
    fn order_clause(&self) -> Result<String, ApiError> {
        let column = match self.sort.trim() {
            "" => "received",
            s => SORTS.iter().find(|(name, _)| *name == s).map(|(_, c)| *c).ok_or_else(|| {
                bad("sort must be received, task, trainer, severity, chars, typed, pasted or decision")
            })?,
        };
        let dir = if self.dir == "asc" { "ASC" } else { "DESC" };
        // Ties are broken in the same direction so the (…, received, submission) indexes
        // can be walked instead of sorting the matching rows (docs/PERFORMANCE.md).
        Ok(match column {
            "received" => format!(" ORDER BY received {dir}, submission {dir}"),
            c => format!(" ORDER BY {c} {dir}, received {dir}, submission {dir}"),
        })
    }
}

fn bad(why: &str) -> ApiError {
    ApiError::bad_request("bad_filter", why.to_owned())
}

fn day(s: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match s.trim() {
        "" => Ok(None),
        d => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad("dates are YYYY-MM-DD")),
    }
}

fn row_of(r: &sqlx::any::AnyRow) -> QueueRow {
    let int = |c: &str| r.try_get::<i64, _>(c).unwrap_or(0);
    QueueRow {
        submission: text(r, "submission"),
        task: text(r, "task"),
        trainer: text(r, "trainer"),
        trainer_name: text(r, "trainer_name"),
        received: text(r, "received"),
        valid: int("valid") != 0,
        pinned: int("pinned") != 0,
        witnessed: int("witnessed") != 0,
        severity: int("severity"),
        flags: text(r, "flags").split(',').filter(|f| !f.is_empty()).map(str::to_owned).collect(),
        text_chars: int("text_chars"),
        typed_pm: int("typed_pm"),
        pasted_pm: int("pasted_pm"),
        decision: text(r, "decision"),
    }
}

/// The page of the queue `filter` asks for.
pub async fn page(pool: &AnyPool, filter: &Filter) -> Result<Page, ApiError> {
    let (where_, binds) = filter.where_clause()?;
    let order = filter.order_clause()?;
    let count_sql = format!("SELECT COUNT(*) FROM review_queue{where_}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b.clone());
    }
    let total: i64 = count.fetch_one(pool).await?.try_get(0)?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let sql = format!(
        "SELECT {COLUMNS} FROM review_queue{where_}{order} LIMIT {PAGE_SIZE} OFFSET {}",
        (page - 1) * PAGE_SIZE
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let rows = q.fetch_all(pool).await?.iter().map(row_of).collect();
    Ok(Page { rows, total, page, pages })
}

/// One queue row.
pub async fn row(pool: &AnyPool, submission: &str) -> Result<Option<QueueRow>, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM review_queue WHERE submission = $1");
    Ok(sqlx::query(&sql).bind(submission).fetch_optional(pool).await?.as_ref().map(row_of))
}

/// What the queue keeps of a stored submission's report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub pinned: bool,
    pub witnessed: bool,
    pub severity: i64,
    pub flags: Vec<String>,
    pub typed_pm: i64,
    pub pasted_pm: i64,
}

impl Facts {
    /// From the report the service stored (`{"verify": …, "analysis": …}`).
    pub fn of_report(report: &serde_json::Value) -> Facts {
        let verify = &report["verify"];
        let analysis = &report["analysis"];
        let flags: Vec<&serde_json::Value> =
            analysis["flags"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
        let severity = flags
            .iter()
            .filter_map(|f| f["severity"].as_str())
            .filter_map(|s| SEVERITIES.iter().position(|n| *n == s))
            .max()
            .unwrap_or(0) as i64;
        let provenance = &analysis["measures"]["provenance"];
        let pm = |v: &serde_json::Value| (v.as_f64().unwrap_or(0.0) * 1000.0).round() as i64;
        Facts {
            pinned: verify["signer_pinned"].as_bool().unwrap_or(false),
            witnessed: verify["witness"]["receipts"].as_u64().unwrap_or(0) > 0,
            severity,
            flags: flags.iter().filter_map(|f| f["id"].as_str()).map(str::to_owned).collect(),
            typed_pm: pm(&provenance["typed_share"]),
            pasted_pm: pm(&provenance["paste_ext_share"]),
        }
    }
}

/// Inserts a queue row (nothing if there is one). `task` and `trainer_name` are copied so
/// the queue filters without joins.
pub async fn insert(pool: &AnyPool, row: &QueueRow) -> Result<(), ApiError> {
    let flags =
        if row.flags.is_empty() { String::new() } else { format!(",{},", row.flags.join(",")) };
    sqlx::query(
        "INSERT INTO review_queue (submission, task, trainer, trainer_name, received, valid, \
         pinned, witnessed, severity, flags, text_chars, typed_pm, pasted_pm, decision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (submission) DO NOTHING",
    )
    .bind(&row.submission)
    .bind(&row.task)
    .bind(&row.trainer)
    .bind(&row.trainer_name)
    .bind(&row.received)
    .bind(i64::from(row.valid))
    .bind(i64::from(row.pinned))
    .bind(i64::from(row.witnessed))
    .bind(row.severity)
    .bind(flags)
    .bind(row.text_chars)
    .bind(row.typed_pm)
    .bind(row.pasted_pm)
    .bind(&row.decision)
    .execute(pool)
    .await?;
    Ok(())
}

/// Adds the queue row of a stored submission, from its row, challenge and trainer.
pub async fn index(pool: &AnyPool, submission: &str) -> Result<(), ApiError> {
    let r = sqlx::query(
        "SELECT s.id, s.trainer, s.received, s.valid, s.report, s.text, c.task, t.name \
         FROM submissions s JOIN challenges c ON c.id = s.challenge \
         LEFT JOIN trainers t ON t.id = s.trainer WHERE s.id = $1",
    )
    .bind(submission)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| {
        ApiError::not_found("unknown_submission", format!("no submission {submission}"))
    })?;
    let report: serde_json::Value = serde_json::from_str(&text(&r, "report")).unwrap_or_default();
    let facts = Facts::of_report(&report);
    insert(
        pool,
        &QueueRow {
            submission: text(&r, "id"),
            task: text(&r, "task"),
            trainer: text(&r, "trainer"),
            trainer_name: text(&r, "name"),
            received: text(&r, "received"),
            valid: r.try_get::<i64, _>("valid").unwrap_or(0) != 0,
            pinned: facts.pinned,
            witnessed: facts.witnessed,
            severity: facts.severity,
            flags: facts.flags,
            text_chars: text(&r, "text").chars().count() as i64,
            typed_pm: facts.typed_pm,
            pasted_pm: facts.pasted_pm,
            decision: String::new(),
        },
    )
    .await
}

/// Indexes every stored submission the queue does not have yet (submissions stored before
/// the queue existed). Returns how many were added.
pub async fn backfill(pool: &AnyPool) -> Result<usize, ApiError> {
    let missing = sqlx::query(
        "SELECT s.id FROM submissions s LEFT JOIN review_queue q ON q.submission = s.id \
         WHERE q.submission IS NULL",
    )
    .fetch_all(pool)
    .await?;
    for r in &missing {
        index(pool, &text(r, "id")).await?;
    }
    Ok(missing.len())
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionEntry {
    pub submission: String,
    pub decision: String,
    pub note: String,
    pub who: String,
    pub at: String,
}

/// Records a decision in the audit log and as the submission's current decision.
pub async fn decide(
    pool: &AnyPool,
    submission: &str,
    decision: Decision,
    note: &str,
    who: &str,
) -> Result<DecisionEntry, ApiError> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX {
        return Err(ApiError::bad_request(
            "note_too_long",
            format!("a note holds at most {NOTE_MAX} characters"),
        ));
    }
    let entry = DecisionEntry {
        submission: submission.to_owned(),
        decision: decision.name().to_owned(),
        note: note.to_owned(),
        who: who.to_owned(),
        at: crate::event::wall_now(),
    };
    let mut tx = pool.begin().await?;
    let updated = sqlx::query("UPDATE review_queue SET decision = $1 WHERE submission = $2")
        .bind(&entry.decision)
        .bind(submission)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() != 1 {
        return Err(ApiError::not_found(
            "unknown_submission",
            format!("no submission {submission}"),
        ));
    }
    sqlx::query(
        "INSERT INTO review_decisions (id, submission, decision, note, who, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(format!("dec_{}", random_hex(12)?))
    .bind(&entry.submission)
    .bind(&entry.decision)
    .bind(&entry.note)
    .bind(&entry.who)
    .bind(&entry.at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(submission, decision = entry.decision, who, "review decision");
    Ok(entry)
}

/// The audit log: of one submission, or of all (newest first).
pub async fn decisions(
    pool: &AnyPool,
    submission: Option<&str>,
) -> Result<Vec<DecisionEntry>, ApiError> {
    let rows = match submission {
        Some(s) => {
            sqlx::query(
                "SELECT submission, decision, note, who, at FROM review_decisions \
                 WHERE submission = $1 ORDER BY at DESC",
            )
            .bind(s)
            .fetch_all(pool)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT submission, decision, note, who, at FROM review_decisions \
                 ORDER BY at DESC LIMIT {EXPORT_LIMIT}"
            ))
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows
        .iter()
        .map(|r| DecisionEntry {
            submission: text(r, "submission"),
            decision: text(r, "decision"),
            note: text(r, "note"),
            who: text(r, "who"),
            at: text(r, "at"),
        })
        .collect())
}

/// Every row matching `filter` (its page ignored), in its order, up to [`EXPORT_LIMIT`].
pub async fn all(pool: &AnyPool, filter: &Filter) -> Result<Vec<QueueRow>, ApiError> {
    let (where_, binds) = filter.where_clause()?;
    let order = filter.order_clause()?;
    let sql = format!("SELECT {COLUMNS} FROM review_queue{where_}{order} LIMIT {EXPORT_LIMIT}");
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    Ok(q.fetch_all(pool).await?.iter().map(row_of).collect())
}

/// A CSV cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@` or a
/// control character is a formula to Excel and LibreOffice (OWASP, "CSV Injection"), so it
/// gets a leading apostrophe.
pub fn csv_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// The queue as CSV.
pub fn queue_csv(rows: &[QueueRow]) -> Result<String, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head = [
        "submission",
        "received",
        "task",
        "trainer",
        "trainer_name",
        "valid",
        "pinned",
        "witnessed",
        "severity",
        "flags",
        "text_chars",
        "typed_share",
        "pasted_share",
        "decision",
    ];
    w.write_record(head).map_err(ApiError::internal)?;
    for r in rows {
        let rec = [
            r.submission.clone(),
            r.received.clone(),
            r.task.clone(),
            r.trainer.clone(),
            r.trainer_name.clone(),
            r.valid.to_string(),
            r.pinned.to_string(),
            r.witnessed.to_string(),
            SEVERITIES.get(r.severity as usize).copied().unwrap_or("none").to_owned(),
            r.flags.join(" "),
            r.text_chars.to_string(),
            format!("{:.3}", r.typed_pm as f64 / 1000.0),
            format!("{:.3}", r.pasted_pm as f64 / 1000.0),
            r.decision.clone(),
        ];
        w.write_record(rec.iter().map(|c| csv_cell(c))).map_err(ApiError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(ApiError::internal)?).map_err(ApiError::internal)
}

/// The audit log as CSV.
pub fn decisions_csv(entries: &[DecisionEntry]) -> Result<String, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["at", "submission", "decision", "who", "note"]).map_err(ApiError::internal)?;
    for e in entries {
        w.write_record([&e.at, &e.submission, &e.decision, &e.who, &e.note].map(|c| csv_cell(c)))
            .map_err(ApiError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(ApiError::internal)?).map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_facts_come_from_the_stored_report() {
        let report = serde_json::json!({
            "verify": { "signer_pinned": true, "witness": { "receipts": 3 } },
            "analysis": {
                "flags": [{ "id": "a", "severity": "notice" }, { "id": "b", "severity": "warning" }],
                "measures": { "provenance": { "typed_share": 0.25, "paste_ext_share": 0.7504 } }
            }
        });
        let f = Facts::of_report(&report);
        assert_eq!(
            f,
            Facts {
                pinned: true,
                witnessed: true,
                severity: 3,
                flags: vec!["a".into(), "b".into()],
                typed_pm: 250,
                pasted_pm: 750
            }
        );
        assert_eq!(Facts::of_report(&serde_json::Value::Null), Facts::default());
    }

    #[test]
    fn filters_bind_values_and_refuse_unknown_columns() {
        let f = Filter { task: "x' OR 1=1 --".into(), flag: "paste".into(), ..Filter::default() };
        let (sql, binds) = f.where_clause().unwrap();
        assert_eq!(sql, " WHERE task = $1 AND flags LIKE $2");
        assert_eq!(binds, ["x' OR 1=1 --", "%,paste,%"]);
        let bad = Filter { sort: "received; DROP TABLE x".into(), ..Filter::default() };
        assert!(bad.order_clause().is_err());
        assert!(Filter { from: "yesterday".into(), ..Filter::default() }.where_clause().is_err());
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_defused() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
