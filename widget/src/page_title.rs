//! The host page's title carries the count of unread replies, "(2) Shop", as Chatwoot's
//! widget does; the page's own title is kept (also when it changes it) and restored at 0.

use std::cell::RefCell;

thread_local! {
    /// What this widget put before the page's title.
    static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
}

pub fn show_unread(unread: u32) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let prefix = match unread {
        0 => String::new(),
        unread => format!("({unread}) "),
    };
    let title = document.title();
    SHOWN.with(|shown| {
        let own = title.strip_prefix(shown.borrow().as_str()).unwrap_or(&title);
        document.set_title(&(prefix.clone() + own));
        *shown.borrow_mut() = prefix;
    });
}
