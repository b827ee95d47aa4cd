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
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
