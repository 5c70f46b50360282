//! The auditor review at scale (docs/PERFORMANCE.md, "Review"):
//! 1. the queue with 100,000 generated submissions in SQLite: time to query one filtered,
//!    sorted page (the same `review::queue::page` the service runs), per filter;
//! 2. the replay page of a 100,000-event session in headless Chromium: page load to a
//!    ready replay, and the time of a scrubber seek (performance.now() in the page).
//!    Skipped, saying so, when Chromium is not installed.
//!
//! `cargo bench --bench review` (HANDPRINT_BENCH_N to change the number of submissions).

#[path = "../tests/webdriver/mod.rs"]
mod webdriver;

use handprint::serve::review::queue::{self, Filter};
use handprint::serve::store::Store;
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const FLAGS: [&str; 5] =
    ["large_external_paste", "uniform_intervals", "focus_loss", "no_revision", "burst_typing"];

fn main() {
    let n = env_usize("HANDPRINT_BENCH_N", 100_000);
    queue_bench(n);
    replay_bench(100_000);
}

fn queue_bench(n: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let store = rt.block_on(Store::open(dir.path(), None)).expect("store");
    let pool = store.pool();
    let started = Instant::now();
    rt.block_on(async {
        let mut tx = pool.begin().await.expect("tx");
        // A deterministic spread: 200 tasks, 1,000 trainers, one submission a minute.
        let base = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap();
        for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
            let mut sql = String::from(
                "INSERT INTO review_queue (submission, task, trainer, trainer_name, received, valid, \
                 pinned, witnessed, severity, flags, text_chars, typed_pm, pasted_pm, decision) VALUES ",
            );
            let mut values = Vec::new();
            for (k, i) in chunk.iter().enumerate() {
                let p = k * 5;
                // Generated constants are inlined; the texts are bound parameters.
                let nflags = i % 5;
                let flags = if nflags == 0 { String::new() } else { format!(",{},", FLAGS[..nflags].join(",")) };
                values.push(format!(
                    "(${}, ${}, ${}, ${}, ${}, 1, 1, {}, {nflags}, '{flags}', {}, {}, {}, '{}')",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    i64::from(i % 3 != 0),
                    (i * 37) % 4000 + 50,
                    (i * 13) % 1001,
                    1000 - (i * 13) % 1001,
                    ["", "accepted", "follow_up", "rejected"][i % 4],
                ));
            }
            sql.push_str(&values.join(", "));
            let mut q = sqlx::query(&sql);
            for i in chunk {
                let received = base + chrono::Duration::minutes(*i as i64);
                q = q
                    .bind(format!("sub_{i:012}"))
                    .bind(format!("T-{}", i % 200))
                    .bind(format!("tr_{:016}", i % 1000))
                    .bind(format!("Trainer {}", i % 1000))
                    .bind(received.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
            }
            q.execute(&mut *tx).await.expect("insert");
        }
        tx.commit().await.expect("commit");
        sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
    });
    println!(
        "review queue: {n} generated submissions inserted in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let cases: Vec<(&str, Filter)> = vec![
        ("newest first, page 1", Filter::default()),
        ("newest first, page 1000", Filter { page: Some(1000), ..Filter::default() }),
        (
            "task = T-17, by severity",
            Filter { task: "T-17".into(), sort: "severity".into(), ..Filter::default() },
        ),
        (
            "trainer name, one month",
            Filter {
                trainer: "Trainer 42".into(),
                from: "2026-01-01".into(),
                to: "2026-01-31".into(),
                ..Filter::default()
            },
        ),
        (
            "severity >= warning, most pasted",
            Filter { severity: "warning".into(), sort: "pasted".into(), ..Filter::default() },
        ),
        (
            "flag focus_loss, undecided",
            Filter { flag: "focus_loss".into(), decision: "none".into(), ..Filter::default() },
        ),
        (
            "one day, by chars ascending",
            Filter {
                from: "2026-02-01".into(),
                to: "2026-02-01".into(),
                sort: "chars".into(),
                dir: "asc".into(),
                ..Filter::default()
            },
        ),
    ];
    println!(
        "| query (50 rows a page, with the total count) | rows matching | median ms | max ms |"
    );
    println!("|---|---:|---:|---:|");
    for (name, f) in cases {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..15 {
            let t = Instant::now();
            let page = rt.block_on(queue::page(pool, &f)).expect("page");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = page.total;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| {name} | {total} | {:.2} | {:.2} |",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    rt.block_on(store.close());
}

/// A bare journal of `events` events: typing with a backspace every 20 chars and a paste
/// every 2,000, keys 120 ms apart.
fn long_session(dir: &std::path::Path, events: usize) -> std::path::PathBuf {
    use handprint::event::{Cause, Edit, Event, Key, Modifiers};
    let start = handprint::session::start_facts("T-long", None, None, &["editor"]);
    let path = dir.join("long.jsonl");
    let mut w = handprint::journal::JournalWriter::create(&path, start).expect("journal");
    let mut text_len = 0usize;
    let mut text = String::new();
    let mut t = 0u64;
    let mut i = 0usize;
    while (w.next_seq() as usize) < events.saturating_sub(4) {
        i += 1;
        t += 120_000;
        let key = Key::new("KeyA".to_owned(), Modifiers::NONE, None);
        w.append_at(t, Event::KeyDown(key.clone())).expect("append");
        let edit = if i.is_multiple_of(2000) {
            Edit {
                p: text_len,
                d: Default::default(),
                i: "pasted words ".into(),
                c: Cause::PasteExt,
            }
        } else if i.is_multiple_of(20) && text_len > 0 {
            let last = text.pop().expect("text");
            Edit {
                p: text_len - 1,
                d: last.to_string().into(),
                i: Default::default(),
                c: Cause::Typed,
            }
        } else {
            let ch = char::from(b'a' + (i % 26) as u8);
            Edit { p: text_len, d: Default::default(), i: ch.to_string().into(), c: Cause::Typed }
        };
        let ins = edit.i.clone();
        if !edit.d.is_empty() {
            text_len -= 1;
        }
        w.append_at(t + 1000, Event::Edit(edit)).expect("append");
        text.push_str(&ins);
        text_len += ins.chars().count();
        w.append_at(t + 60_000, Event::KeyUp(key)).expect("append");
    }
    w.finish(&text).expect("finish")
}

fn replay_bench(events: usize) {
    if !webdriver::available() {
        println!("replay page: SKIPPED (chromium and chromium-driver are not installed)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = long_session(dir.path(), events);
    let t = Instant::now();
    let evidence = handprint::report::Evidence::open(&journal, &|_, _| {});
    let html = evidence.to_html(None);
    let page = dir.path().join("long.html");
    std::fs::write(&page, &html).expect("write page");
    let n = evidence.replay.as_ref().map_or(0, |(r, _)| r.len());
    println!(
        "replay page: {n} events, page {:.1} MB, written in {:.2} s",
        html.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let b = webdriver::Browser::start();
    let mut loads = Vec::new();
    let mut builds = Vec::new();
    for _ in 0..3 {
        b.goto(&format!("file://{}", page.display()));
        b.wait_for("return !!window.handprintReplay", "the replay");
        let v = b.js(
            "var n = performance.getEntriesByType('navigation')[0]; return [n.loadEventEnd - n.startTime, window.handprintReplay.buildMs]",
            serde_json::json!([]),
        );
        loads.push(v[0].as_f64().unwrap_or(0.0));
        builds.push(v[1].as_f64().unwrap_or(0.0));
    }
    // Scrubbing: 200 seeks to random places, each rendering the text, as the range input does.
    let seeks = b.js(
        "var r = window.handprintReplay, n = r.events, times = [], x = 12345;\
         for (var i = 0; i < 200; i++) { x = (x * 1103515245 + 12345) % 2147483648;\
           var t0 = performance.now(); r.seek(x % (n + 1)); document.body.offsetHeight; times.push(performance.now() - t0); }\
         times.sort(function (a, b) { return a - b; });\
         return [times[100], times[189], times[199]];",
        serde_json::json!([]),
    );
    println!(
        "replay page in Chromium: load {:.0} ms (median of 3, of which replay keyframes {:.0} ms); seek + render median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        median(&mut loads),
        median(&mut builds),
        seeks[0].as_f64().unwrap_or(0.0),
        seeks[1].as_f64().unwrap_or(0.0),
        seeks[2].as_f64().unwrap_or(0.0)
    );
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
