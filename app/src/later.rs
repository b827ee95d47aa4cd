//! The pages that load when first shown: every page but the start page and the check.
//!
//! Each `*_page` function here draws one page. Built with the `split` feature
//! (`cargo xtask build`), each is a split point of a group: after cargo's link, the split step
//! moves the code only a group reaches into a wasm file of its own, which the app fetches the
//! first time one of its pages is shown (code that several groups share goes to chunks they
//! each fetch). The groups follow who goes where: `applicant` (the task list, the wizard,
//! check-your-answers, the order, the filing records), `reviewer` (the console), `login`,
//! `lookup`, `instances`. One group per page made 89 chunks, and a page fetched twenty of
//! them. Without the feature (`trunk serve`, the tests) these are plain functions in the one
//! wasm.
//!
//! A page whose file cannot be fetched (the network failed, or a deploy replaced the app
//! while this tab was open: the server answers 404) says so and offers to reload; the tab
//! keeps working, and the next visit to the page fetches again (the backend's 404 is not
//! cached).
//!
//! The shell (`app.rs`) keeps what every page needs: the state, the header, the notices.
//! The applicant's pages turn on the rules that find the draft's problems
//! (`AppState::use_rules`), so that their code loads with those pages.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::{ConflictPanel, OfferPanel};
use crate::i18n::*;
use crate::pages;
use crate::state::AppState;
use crate::wizard::StepId;

/// A page's view, or why its code could not be fetched.
type Page = Result<AnyView, SplitLoaderError>;

/// Shows a page: at once without the split; with it, once its code has arrived, saying
/// meanwhile that it is loading.
#[cfg(feature = "split")]
macro_rules! show {
    ($page:expr) => {{
        let pending = RwSignal::new(true);
        let page = Suspend::new(async move {
            let page = $page.await;
            pending.set(false);
            shown(page)
        });
        view! { {move || pending.get().then(loading)} {page} }.into_any()
    }};
}

#[cfg(feature = "split")]
fn loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="page-loading" role="status">{t!(i18n, page_loading)}</p> }
}
#[cfg(not(feature = "split"))]
macro_rules! show {
    ($page:expr) => {
        shown($page)
    };
}

fn shown(page: Page) -> AnyView {
    match page {
        Ok(view) => view,
        Err(e) => {
            leptos::logging::error!("a page's code could not be fetched: {e}");
            let i18n = use_i18n();
            let reload = |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            };
            view! {
                <div class="notice notice--error" role="alert" data-testid="page-unloaded">
                    <p>{t!(i18n, page_unloaded)}</p>
                    <button type="button" on:click=reload>{t!(i18n, reload)}</button>
                </div>
            }
            .into_any()
        }
    }
}

/// For each page: `name / split function in group (arguments) => view;`. `name` draws the page
/// (the routes call it); the split function, a split point of its group in the split build,
/// builds its view.
macro_rules! later {
    ($($name:ident / $page:ident in $group:ident ($($arg:ident: $ty:ty),*) => $view:expr;)*) => {$(
        pub fn $name($($arg: $ty),*) -> AnyView {
            show!($page($($arg),*))
        }
        #[cfg_attr(feature = "split", leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, fallible))]
        fn $page($($arg: $ty),*) -> Page {
            Ok($view.into_any())
        }
    )*};
}

later! {
    login / login_page in login (state: AppState) => view! { <pages::login::Login state=state/> };
    lookup / lookup_page in lookup (state: AppState) => view! { <pages::lookup::Lookup state=state/> };
    instances / instances_page in instances (state: AppState) => view! { <pages::instances::Instances state=state/> };
    apply_home / apply_home_page in applicant (state: AppState) => { state.use_rules(); view! { <pages::apply::ApplyHome state=state/> } };
    step / step_page in applicant (state: AppState, id: StepId) => { state.use_rules(); view! { <pages::step::StepPage state=state id=id/> } };
    review / review_page in applicant (state: AppState) => { state.use_rules(); view! { <pages::review::Review state=state/> } };
    order / order_page in applicant (state: AppState) => { state.use_rules(); view! { <pages::order::OrderStatus state=state/> } };
    records / records_page in applicant (state: AppState) => { state.use_rules(); view! { <pages::records::Records state=state/> } };
    conflict / conflict_panel in applicant (state: AppState) => view! { <ConflictPanel state=state/> };
    offer / offer_panel in applicant (state: AppState) => view! { <OfferPanel state=state/> };
    queue / queue_page in reviewer (state: AppState) => view! { <pages::console::Queue state=state/> };
    review_order / review_order_page in reviewer (state: AppState) => view! { <pages::console::ReviewOrder state=state/> };
}

/// Loads the logged-in account's open order (`AppState::load_orders`); in the split build its
/// code (the orders' decoding, the save) loads with the applicant's pages. Code that cannot be
/// fetched is reported like a server out of reach: the draft stays in the browser.
pub async fn load_orders(state: AppState) {
    #[cfg(feature = "split")]
    let loading = order_loading(state).await;
    #[cfg(not(feature = "split"))]
    let loading = order_loading(state);
    match loading {
        Ok(loading) => loading.await,
        Err(e) => {
            leptos::logging::error!("the orders' code could not be fetched: {e}");
            state.report(beian_api::ApiError::new(beian_api::ErrorCode::RequestNetwork));
        }
    }
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(applicant, wasm_split_path = ::leptos::wasm_split, fallible))]
fn order_loading(state: AppState) -> Result<std::pin::Pin<Box<dyn Future<Output = ()>>>, SplitLoaderError> {
    Ok(Box::pin(async move { state.load_orders().await }))
}
