//! The recorder's platform actions, without drawing: open a challenge, enrol, submit, and
//! deliver what the spool still holds. The screens call these and show the one-line result.

use crate::attest::SigningKey;
use crate::platform::account::Account;
use crate::platform::protocol::ChallengeOffer;
use crate::platform::spool::{Delivery, Spool};
use std::path::Path;

/// Opens a challenge from a file (a saved offer) or from the enrolled service (link or id),
/// and checks it: signed by the pinned service key, issued to this trainer, prompt intact.
pub fn open_challenge(input: &str, account: &Account) -> Result<ChallengeOffer, String> {
    let path = Path::new(input);
    let offer: ChallengeOffer = if !input.contains("://") && path.is_file() {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not a challenge file: {e}", path.display()))?
    } else {
        account.client().and_then(|c| c.challenge(input)).map_err(|e| e.to_string())?
    };
    check_offer(&offer, account)?;
    Ok(offer)
}

/// A challenge is used only if the enrolled service signed it for this trainer.
pub fn check_offer(offer: &ChallengeOffer, account: &Account) -> Result<(), String> {
    let key = account.service_public_key().ok_or("the stored enrolment has no service key")?;
    offer.challenge.verify(&key).map_err(|e| format!("this challenge cannot be trusted: {e}"))?;
    if offer.challenge.trainer != account.trainer {
        return Err(format!(
            "this challenge was issued to trainer {}, not to you ({})",
            offer.challenge.trainer, account.trainer
        ));
    }
    if crate::sha256_hex(offer.prompt.as_bytes()) != offer.challenge.prompt_sha256 {
        return Err("the challenge's prompt is not the one the platform signed".into());
    }
    Ok(())
}

/// Enrols `key` and stores the enrolment in `data_dir`.
pub fn enrol(url: &str, token: &str, key: &SigningKey, data_dir: &Path) -> Result<Account, String> {
    let account = Account::enrol(url, token, key, None).map_err(|e| e.to_string())?;
    account.save(data_dir).map_err(|e| e.to_string())?;
    Ok(account)
}

/// Submits the bundle through the spool. Returns whether the outcome is final (stored or
/// refused; a spooled submission is retried later) and a line for the trainer.
pub fn submit(
    account: &Account,
    data_dir: &Path,
    challenge: &str,
    bundle: &Path,
    text: &str,
) -> (bool, String) {
    let bytes = match std::fs::read(bundle) {
        Ok(b) => b,
        Err(e) => return (false, format!("Cannot read {}: {e}", bundle.display())),
    };
    let client = match account.client() {
        Ok(c) => c,
        Err(e) => return (false, e.to_string()),
    };
    match Spool::in_data_dir(data_dir).submit(&client, challenge, &bytes, text) {
        Ok(Delivery::Delivered(r)) => {
            (true, format!("Submitted: receipt {} — {}", r.id, r.headline))
        }
        Ok(Delivery::Spooled { why, .. }) => (
            false,
            format!(
                "Saved for sending: the platform is unreachable ({why}). It will be sent when Handprint next starts, or try again."
            ),
        ),
        Ok(Delivery::Refused { error, .. }) => (true, format!("Refused by the platform: {error}")),
        Err(e) => (false, e.to_string()),
    }
}

/// Sends what the spool still holds, on a background thread (at app start).
pub fn deliver_pending_in_background(account: Account, data_dir: std::path::PathBuf) {
    let spool = Spool::in_data_dir(&data_dir);
    if spool.pending().is_empty() {
        return;
    }
    let _ = std::thread::Builder::new().name("handprint-spool".into()).spawn(move || {
        if let Ok(client) = account.client() {
            let _ = spool.deliver_pending(&client);
        }
    });
}
