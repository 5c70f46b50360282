//! The auditor review over plain HTTP: who may see it (auditors; not trainers, not anonymous
//! visitors), CSRF tokens checked on every form, cookies with their security attributes,
//! text and names from records escaped, decisions in the audit log and the CSV exports.

mod platform_support;
mod review_support;

use review_support::*;

#[test]
fn anonymous_visitors_are_sent_to_the_login_and_refused_by_the_exports() {
    let s = seeded();
    let url = s.p.url();
    for path in ["/review", &format!("/review/s/{}", s.ids[0])] {
        let r = request("GET", &format!("{url}{path}"), "", None, None);
        assert_eq!((r.status, r.location.as_deref()), (303, Some("/review/login")), "{path}");
        assert!(!r.body.contains(&s.ids[0]));
    }
    for path in ["/review/export.csv", "/review/decisions.csv"] {
        let r = request("GET", &format!("{url}{path}"), "", None, None);
        assert_eq!(r.status, 401, "{path}: {}", r.body);
    }
    let forged = request(
        "GET",
        &format!("{url}/review"),
        &format!("hp_review={}", "a".repeat(64)),
        None,
        None,
    );
    assert_eq!(forged.status, 303, "an unknown session cookie is nobody");
    let r = request(
        "POST",
        &format!("{url}/review/s/{}/decision", s.ids[0]),
        "",
        None,
        Some(&[("decision", "accepted")]),
    );
    assert_eq!(r.status, 401);
}

#[test]
fn trainers_cannot_log_in_nor_use_their_token_on_the_review() {
    let s = seeded();
    let url = s.p.url();
    for path in ["/review", "/review/export.csv", &format!("/review/s/{}", s.ids[0])] {
        let r = request("GET", &format!("{url}{path}"), "", Some(&s.trainer_token), None);
        assert_eq!(r.status, 403, "{path}: {}", r.body);
    }
    let page = request("GET", &format!("{url}/review/login"), "", None, None);
    let r = request(
        "POST",
        &format!("{url}/review/login"),
        &cookie_pair(&page.set_cookies[0]),
        None,
        Some(&[("token", &s.trainer_token), ("csrf", &csrf_of(&page.body))]),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.set_cookies.iter().all(|c| !c.starts_with("hp_review=")));
}

#[test]
fn login_sets_a_secure_httponly_strict_cookie_and_checks_the_form_token() {
    let s = seeded();
    let url = s.p.url();
    let page = request("GET", &format!("{url}/review/login"), "", None, None);
    let csrf = csrf_of(&page.body);
    // Without the double-submit cookie, or with another token, the login is refused.
    let r = request(
        "POST",
        &format!("{url}/review/login"),
        "",
        None,
        Some(&[("token", &s.auditor), ("csrf", &csrf)]),
    );
    assert_eq!(r.status, 403);
    let r = request(
        "POST",
        &format!("{url}/review/login"),
        &cookie_pair(&page.set_cookies[0]),
        None,
        Some(&[("token", &s.auditor), ("csrf", "0123")]),
    );
    assert_eq!(r.status, 403);
    let r = request(
        "POST",
        &format!("{url}/review/login"),
        &cookie_pair(&page.set_cookies[0]),
        None,
        Some(&[("token", &s.auditor), ("csrf", &csrf)]),
    );
    assert_eq!(r.status, 303);
    let session = r.set_cookies.iter().find(|c| c.starts_with("hp_review=")).unwrap();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/review"] {
        assert!(session.contains(attr), "{session} lacks {attr}");
    }
    let queue = request("GET", &format!("{url}/review"), &cookie_pair(session), None, None);
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("Audrey &lt;i&gt;"), "the auditor's name, escaped");
}

#[test]
fn decisions_need_the_session_csrf_token_and_land_in_the_audit_log() {
    let s = seeded();
    let url = s.p.url();
    let cookie = login(url, &s.auditor);
    let page = request("GET", &format!("{url}/review/s/{}", s.ids[0]), &cookie, None, None);
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.body);
    let decide = |token: &str| {
        request(
            "POST",
            &format!("{url}/review/s/{}/decision", s.ids[0]),
            &cookie,
            None,
            Some(&[
                ("csrf", token),
                ("decision", "rejected"),
                ("note", "=HYPERLINK(\"x\") pasted <b>"),
            ]),
        )
    };
    assert_eq!(decide("").status, 403);
    assert_eq!(decide(&"0".repeat(csrf.len())).status, 403);
    let ok = decide(&csrf);
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = request("GET", &format!("{url}/review/s/{}", s.ids[0]), &cookie, None, None);
    assert!(page.body.contains("<span id=\"current-decision\">rejected</span>"));
    assert!(page.body.contains("pasted &lt;b&gt;") && page.body.contains("Audrey &lt;i&gt;"));

    let log = request("GET", &format!("{url}/review/decisions.csv"), "", Some(&s.auditor), None);
    assert_eq!(log.status, 200);
    let line = log.body.lines().nth(1).unwrap();
    assert!(
        line.contains(&s.ids[0]) && line.contains("rejected") && line.contains("Audrey <i>"),
        "{line}"
    );
    assert!(line.contains("'=HYPERLINK"), "a formula is defused for spreadsheets: {line}");

    let queue =
        request("GET", &format!("{url}/review/export.csv?decision=rejected"), &cookie, None, None);
    assert_eq!(queue.status, 200);
    assert_eq!(queue.body.lines().count(), 2, "{}", queue.body);
    assert!(queue.body.contains("T-rivers") && queue.body.contains("rejected"));

    // Logging out ends the session (with its token), and the cookie no longer opens pages.
    let out =
        request("POST", &format!("{url}/review/logout"), &cookie, None, Some(&[("csrf", &csrf)]));
    assert_eq!(out.status, 303);
    assert_eq!(request("GET", &format!("{url}/review"), &cookie, None, None).status, 303);
}

#[test]
fn record_text_and_names_show_as_text_never_as_markup() {
    let s = seeded();
    let url = s.p.url();
    let cookie = login(url, &s.auditor);
    let queue = request("GET", &format!("{url}/review"), &cookie, None, None);
    assert!(queue.body.contains("Ada &lt;b&gt;Lovelace&lt;/b&gt;"), "{}", queue.body);
    assert!(!queue.body.contains("<b>Lovelace"));
    let page = request("GET", &format!("{url}/review/s/{}", s.ids[0]), &cookie, None, None);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains(SCRIPT_TEXT), "the pasted script appears nowhere unescaped");
    assert!(page.body.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"));
    assert!(
        page.body.contains("\\u003cscript\\u003ewindow.pwned=1\\u003c/script\\u003e"),
        "and escaped in the replay data"
    );
    // Only the page's own script runs: by nonce, and nothing is loaded from elsewhere.
    let csp = request_headers(
        &format!("{url}/review/s/{}", s.ids[0]),
        &cookie,
        "content-security-policy",
    );
    assert!(csp.contains("script-src 'nonce-") && csp.contains("default-src 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_owned();
    assert_eq!(page.body.matches("<script nonce=").count(), 1);
    assert!(!page.body.contains(&format!("nonce=\"{nonce}\"")), "a new nonce for every response");
}

#[test]
fn the_queue_filters_sorts_and_refuses_unknown_sort_columns() {
    let s = seeded();
    let url = s.p.url();
    let cookie = login(url, &s.auditor);
    let get = |q: &str| request("GET", &format!("{url}/review{q}"), &cookie, None, None);
    let all = get("");
    assert!(all.body.contains("2 submissions"), "{}", all.body);
    let lakes = get("?task=T-lakes");
    assert!(
        lakes.body.contains("1 submission ")
            && lakes.body.contains(&s.ids[1])
            && !lakes.body.contains(&s.ids[0])
    );
    let by_name = get("?trainer=Ada+%3Cb%3ELovelace%3C%2Fb%3E");
    assert!(by_name.body.contains(&s.ids[0]) && !by_name.body.contains(&s.ids[1]));
    let pasted = get("?sort=pasted&dir=desc");
    let first = pasted.body.find(&s.ids[0]).unwrap();
    assert!(first < pasted.body.find(&s.ids[1]).unwrap(), "most pasted first");
    assert_eq!(get("?sort=valid%3BDROP%20TABLE%20submissions").status, 400);
    assert_eq!(get("?severity=extreme").status, 400);
}

fn request_headers(url: &str, cookie: &str, name: &str) -> String {
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into();
    let resp = agent.get(url).header("Cookie", cookie).call().unwrap();
    resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}
