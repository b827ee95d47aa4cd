//! Beian's applicant app (Leptos, client-side rendered).

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

mod app;
mod components;
mod later;
mod messages;
mod pages;
mod state;
mod wizard;

fn main() {
    // Shows a panic's message in the console; the release build's panics abort at once
    // without one (README, Size), so this serves `trunk serve` and BEIAN_PANIC_MESSAGES=1.
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
