//! The notices' e-mail: when an SMTP server is configured (`--smtp-url`), a background task
//! sends the outbox's messages, each in Chinese and English, and records each once sent.
//! Off by default: the notices in the app are always there.

use std::time::Duration;

use beian_rules::lifecycle::Action;
use beian_store::Store;
use beian_store::lifecycle::Mail;
use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// A message's subject and body, in Chinese then English.
fn words(mail: &Mail, base_url: &str) -> (String, String) {
    let (zh, en) = match mail.kind {
        Action::ProviderApprove => ("服务商初审已通过，请按页面提示完成下一步", "The provider has approved your filing: see the next step"),
        Action::ProviderReject | Action::RejectIdentity => ("备案被服务商退回，请按原因修改后重新提交", "The provider returned your filing: fix what the reasons name and submit it again"),
        Action::SubmitToAuthority => ("备案已提交管局，请在规定时间内完成工信部短信核验", "Your filing went to the communications administration: complete the MIIT text-message verification in time"),
        Action::SmsDeadlinePassed => ("未在规定时间内完成短信核验，备案已被退回", "The text-message verification was not done in time: your filing was returned"),
        Action::AuthorityApprove => ("备案已通过管局审核，备案号已下发", "Your filing is approved: its ICP filing numbers are issued"),
        Action::AuthorityReject => ("管局审核未通过，请查看原因", "The communications administration rejected your filing: see why"),
        Action::Expire => ("备案订单超时未处理，已关闭", "Your filing order was left too long and is closed"),
        _ => ("您的备案有新进展", "There is news about your filing"),
    };
    let link = format!("{}/order", base_url.trim_end_matches('/'));
    (format!("{zh} · {en}"), format!("{zh}\n{link}\n\n{en}\n{link}\n"))
}

/// Sends what the outbox holds every `interval`, through the SMTP server of `url`
/// (`smtp://`, `smtps://`, with credentials in the URL), from `from`, until the server stops
/// (a batch under way is finished).
pub fn start(store: Store, url: &str, from: &str, base_url: String, interval: Duration, mut stop: crate::Stop) -> Result<tokio::task::JoinHandle<()>, String> {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("error: BEIAN_SMTP_URL / --smtp-url: {e}"))?.build();
    let from: Mailbox = from.parse().map_err(|e| format!("error: BEIAN_MAIL_FROM / --mail-from {from:?}: {e}"))?;
    Ok(tokio::spawn(async move {
        while stop.sleep(interval).await {
            // One replica sends at a time, so that no message goes twice.
            let round = async {
                let Ok(batch) = store.unsent_mail(50).await else { return };
                for mail in batch {
                    let (subject, body) = words(&mail, &base_url);
                    let message = mail.to_address.parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
                        Message::builder().from(from.clone()).to(to).subject(subject).header(ContentType::TEXT_PLAIN).body(body).map_err(|e| e.to_string())
                    });
                    let sent = match message {
                        Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                        Err(e) => Err(e),
                    };
                    match sent {
                        Ok(()) => {
                            let _ = store.mail_sent(&mail.id, chrono::Utc::now()).await;
                        }
                        Err(e) => {
                            tracing::warn!(mail = %mail.id, error = %e, "mail: not sent");
                            let _ = store.mail_failed(&mail.id, &e).await;
                        }
                    }
                }
            };
            if let Err(e) = store.exclusively(beian_store::Job::Mail, round).await {
                tracing::error!(error = %e, "mail: cannot take its turn");
            }
        }
    }))
}
