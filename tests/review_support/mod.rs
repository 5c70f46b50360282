//! Shared by the review tests: a running service with an auditor, a trainer token and a few
//! submissions — one whose text and trainer name hold HTML and a script, with a paste from
//! outside, a focus loss and a long pause (so the replay has markers and flags) — and a
//! small cookie-keeping HTTP client for the form flows.
#![allow(dead_code)]

use crate::platform_support::*;
use handprint::event::{Cause, Edit, Event, Focus, Key, Modifiers};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::platform::protocol::{ChallengeOffer, SubmitRequest};
use handprint::record::export_session;
use std::path::Path;

/// The script the hostile submission pastes: it must show as text everywhere.
pub const SCRIPT_TEXT: &str = "<script>window.pwned=1</script>";

/// A service with submissions to review.
pub struct Seeded {
    pub p: Platform,
    pub auditor: String,
    pub trainer_token: String,
    /// Submission ids: [hostile (paste, flags), plain].
    pub ids: Vec<String>,
    pub texts: Vec<String>,
    pub bundles: Vec<std::path::PathBuf>,
    pub dir: tempfile::TempDir,
}

/// One step of a scripted session: type text (a key per char, `ms` apart), paste text from
/// outside, lose and regain focus, or wait.
pub enum Step<'a> {
    Type(&'a str),
    Paste(&'a str),
    FocusAway(u64),
    Wait(u64),
}

/// Records `steps` for `offer` (times are synthetic, 80 ms a key), unwitnessed.
pub fn record(
    dir: &Path,
    t: &Trainer,
    offer: &ChallengeOffer,
    steps: &[Step],
) -> (std::path::PathBuf, String) {
    let start =
        handprint::session::start_facts_for_challenge(&offer.challenge, &offer.prompt, &["editor"]);
    let path = dir.join(format!("{}.jsonl", start.session));
    let mut w = JournalWriter::create(&path, start).unwrap();
    w.set_signer(Box::new(t.key.clone()), CheckpointPolicy::default());
    let mut text = String::new();
    let mut now = 10_000u64;
    for step in steps {
        match step {
            Step::Type(s) => {
                for ch in s.chars() {
                    let code = if ch == ' ' {
                        "Space".to_owned()
                    } else {
                        format!("Key{}", ch.to_ascii_uppercase())
                    };
                    let key = Key::new(code, Modifiers::NONE, None);
                    w.append_at(now, Event::KeyDown(key.clone())).unwrap();
                    let p = text.chars().count();
                    w.append_at(
                        now + 1000,
                        Event::Edit(Edit {
                            p,
                            d: Default::default(),
                            i: ch.to_string().into(),
                            c: Cause::Typed,
                        }),
                    )
                    .unwrap();
                    w.append_at(now + 40_000, Event::KeyUp(key)).unwrap();
                    text.push(ch);
                    now += 80_000;
                }
            }
            Step::Paste(s) => {
                let p = text.chars().count();
                w.append_at(
                    now,
                    Event::Edit(Edit {
                        p,
                        d: Default::default(),
                        i: (*s).into(),
                        c: Cause::PasteExt,
                    }),
                )
                .unwrap();
                text.push_str(s);
                now += 80_000;
            }
            Step::FocusAway(ms) => {
                w.append_at(now, Event::Focus(Focus { on: false })).unwrap();
                now += ms * 1000;
                w.append_at(now, Event::Focus(Focus { on: true })).unwrap();
            }
            Step::Wait(ms) => now += ms * 1000,
        }
    }
    let journal = w.finish(&text).unwrap();
    let exported = export_session(&journal, &t.key, None, dir).unwrap();
    (exported.bundle, text)
}

fn submit(t: &Trainer, offer: &ChallengeOffer, bundle: &Path, text: &str) -> String {
    use base64::Engine;
    let req = SubmitRequest {
        challenge: offer.challenge.id.clone(),
        bundle: base64::engine::general_purpose::STANDARD.encode(std::fs::read(bundle).unwrap()),
        text: text.into(),
    };
    let receipt = t.account.client().unwrap().submit(&req).expect("submission accepted");
    assert!(receipt.valid, "{receipt:?}");
    receipt.id
}

/// Starts a service and stores two submissions.
pub fn seeded() -> Seeded {
    let p = Platform::start();
    let auditor = admin(&p.server.data, &["token", "--role", "auditor", "--name", "Audrey <i>"]);
    let dir = tempfile::tempdir().unwrap();
    let ada = enrolled_trainer(&p, "Ada <b>Lovelace</b>");
    let bo = enrolled_trainer(&p, "Bo");
    let hostile = p.challenge(&ada.account.trainer, "T-rivers", &in_secs(3600));
    let plain = p.challenge(&bo.account.trainer, "T-lakes", &in_secs(3600));
    let (b1, t1) = record(
        dir.path(),
        &ada,
        &hostile,
        &[
            Step::Type("rivers run deep and "),
            Step::Paste(&format!(
                "{SCRIPT_TEXT} and a long pasted sentence about rivers and their deltas"
            )),
            Step::FocusAway(1500),
            Step::Wait(2500),
            Step::Type(" the end"),
        ],
    );
    let (b2, t2) = record(dir.path(), &bo, &plain, &[Step::Type("lakes are calm and deep")]);
    let ids = vec![submit(&ada, &hostile, &b1, &t1), submit(&bo, &plain, &b2, &t2)];
    Seeded {
        p,
        auditor,
        trainer_token: ada.account.token.clone(),
        ids,
        texts: vec![t1, t2],
        bundles: vec![b1, b2],
        dir,
    }
}

/// A plain HTTP response.
pub struct Resp {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
}

/// An HTTP client that does not follow redirects and sends the cookies given.
pub fn request(
    method: &str,
    url: &str,
    cookies: &str,
    bearer: Option<&str>,
    form: Option<&[(&str, &str)]>,
) -> Resp {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .build()
        .into();
    let mut resp = match method {
        "GET" => {
            let mut r = agent.get(url);
            if !cookies.is_empty() {
                r = r.header("Cookie", cookies);
            }
            if let Some(b) = bearer {
                r = r.header("Authorization", &format!("Bearer {b}"));
            }
            r.call().expect("request sent")
        }
        _ => {
            let mut r = agent.post(url);
            if !cookies.is_empty() {
                r = r.header("Cookie", cookies);
            }
            if let Some(b) = bearer {
                r = r.header("Authorization", &format!("Bearer {b}"));
            }
            r.send_form(form.unwrap_or_default().iter().copied()).expect("request sent")
        }
    };
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let set_cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Resp { status, body, location, set_cookies }
}

/// The `name=value` of a Set-Cookie header.
pub fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// The value of the first `name="csrf" value="…"` in a page.
pub fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field");
    let rest = &page[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Logs in through the form; returns the session cookie pair.
pub fn login(url: &str, token: &str) -> String {
    let page = request("GET", &format!("{url}/review/login"), "", None, None);
    let login_cookie = cookie_pair(&page.set_cookies[0]);
    let csrf = csrf_of(&page.body);
    let r = request(
        "POST",
        &format!("{url}/review/login"),
        &login_cookie,
        None,
        Some(&[("token", token), ("csrf", &csrf)]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let session =
        r.set_cookies.iter().find(|c| c.starts_with("hp_review=")).expect("session cookie");
    cookie_pair(session)
}
