//! While the console's tab is hidden, a visitor's new conversation or message raises a browser
//! notification and a short sound. The browser asks for permission only when the agent clicks
//! to enable notifications, so it is asked once and never by surprise.

use web_sys::{AudioContext, Notification, NotificationOptions, NotificationPermission};

/// Whether the agent has not yet said yes or no to notifications.
pub fn unasked() -> bool {
    Notification::permission() == NotificationPermission::Default
}

/// Asks the browser; `answered` runs once the agent has chosen.
pub fn ask(answered: impl FnOnce() + 'static) {
    if let Ok(promise) = Notification::request_permission() {
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            answered();
        });
    }
}

fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.hidden())
}

/// Tells the agent of something new, if they are looking elsewhere.
pub fn alert(title: &str, body: &str) {
    if !tab_hidden() {
        return;
    }
    beep();
    if Notification::permission() == NotificationPermission::Granted {
        let options = NotificationOptions::new();
        options.set_body(body);
        options.set_tag("nimchat");
        let _ = Notification::new_with_options(title, &options);
    }
}

thread_local! {
    /// One audio context for every tone (browsers limit how many a page may open).
    static AUDIO: Option<AudioContext> = AudioContext::new().ok();
}

/// A soft 150 ms tone.
fn beep() {
    AUDIO.with(|audio| {
        let Some(context) = audio else {
            return;
        };
        let (Ok(tone), Ok(volume)) = (context.create_oscillator(), context.create_gain()) else {
            return;
        };
        tone.frequency().set_value(880.0);
        volume.gain().set_value(0.08);
        let _ = tone
            .connect_with_audio_node(&volume)
            .and_then(|_| volume.connect_with_audio_node(&context.destination()))
            .and_then(|_| tone.start())
            .and_then(|_| tone.stop_with_when(context.current_time() + 0.15));
    });
}
