//! The account's numbers (contract 7.4): the last 7 days beside the 7 before.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::wire::{ReportMetrics, ReportSummary};

use crate::i18n::{t, Key};
use crate::shell::Session;

/// How a row reads its number from a window's metrics.
type Metric = fn(&ReportMetrics) -> String;

#[component]
pub fn Reports(session: Session) -> impl IntoView {
    let summary = RwSignal::new(None::<ReportSummary>);
    Effect::new(move |_| {
        session.revision.get();
        spawn_local(async move {
            match session.client().summary(7).await {
                Ok(found) => summary.set(Some(found)),
                Err(failure) => session.fail.run(failure),
            }
        });
    });
    let rows: [(Key, Metric); 6] = [
        (Key::Conversations, |m| m.conversations_count.to_string()),
        (Key::MessagesReceived, |m| m.incoming_messages_count.to_string()),
        (Key::MessagesSent, |m| m.outgoing_messages_count.to_string()),
        (Key::Resolutions, |m| m.resolutions_count.to_string()),
        (Key::FirstResponse, |m| duration(m.avg_first_response_time)),
        (Key::ResolutionTime, |m| duration(m.avg_resolution_time)),
    ];
    view! {
        <h2>{t(Key::Reports)}</h2>
        {move || summary.get().map(|found| view! {
            <table class="report">
                <caption>{t(Key::ReportCaption)}</caption>
                <thead><tr><th scope="col">{t(Key::Metric)}</th><th scope="col">{t(Key::LastDays)}</th><th scope="col">{t(Key::Before)}</th></tr></thead>
                <tbody>
                    {rows.iter().map(|(name, value)| view! {
                        <tr><th scope="row">{t(*name)}</th><td>{value(&found.current)}</td><td>{value(&found.previous)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

/// Seconds as a person reads them: `45 s`, `12 min`, `3.5 h`.
fn duration(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{seconds:.0} s")
    } else if seconds < 3_600.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3_600.0)
    }
}
