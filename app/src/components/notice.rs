//! The notices at the top of every page: a failed call to the server that belongs to no
//! field (nothing fails silently), answers changed elsewhere meanwhile, answers given before
//! logging in.

use leptos::prelude::*;

use crate::i18n::*;
use crate::messages::error_words;
use crate::state::AppState;
use crate::wizard::{answer_text, differences};

#[component]
pub fn Notice(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        state.notice.get().map(|e| {
            view! {
                <div class="notice notice--error" role="alert" data-testid="notice">
                    <p>{error_words(i18n, &e)}</p>
                    <button type="button" class="link-button" on:click=move |_| state.notice.set(None)>{t!(i18n, form.dismiss)}</button>
                </div>
            }
        })
    }
}

/// Answers saved elsewhere meanwhile: both kept until the applicant chooses.
#[component]
pub fn ConflictPanel(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        state.conflict.get().map(|conflict| {
            let mine = state.draft.get_untracked();
            let theirs = conflict.server.application.clone();
            let rows = differences(&mine, &theirs)
                .into_iter()
                .map(|placed| {
                    let path = placed.path();
                    let widget = placed.spec.widget;
                    view! {
                        <tr>
                            <th scope="row">{(placed.spec.label)(i18n.get_locale())}</th>
                            <td>{answer_text(i18n, widget, mine.field(&path))}</td>
                            <td>{answer_text(i18n, widget, theirs.field(&path))}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="notice notice--conflict" role="alert" aria-labelledby="conflict-title" data-testid="conflict">
                    <h2 id="conflict-title">{t!(i18n, draft.conflict_title)}</h2>
                    <p>{t!(i18n, draft.conflict_body)}</p>
                    <table class="differences">
                        <thead><tr>
                            <th scope="col">{t!(i18n, draft.question)}</th>
                            <th scope="col">{t!(i18n, draft.in_this_window)}</th>
                            <th scope="col">{t!(i18n, draft.saved)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <p class="actions">
                        <button type="button" class="button" on:click=move |_| state.keep_mine()>{t!(i18n, draft.keep_mine)}</button>
                        " "
                        <button type="button" class="button button--secondary" on:click=move |_| state.take_theirs()>{t!(i18n, draft.take_theirs)}</button>
                    </p>
                </section>
            }
        })
    }
}

/// The answers given before logging in, offered to the account (never pushed into it).
#[component]
pub fn OfferPanel(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        state.offered.with(Option::is_some).then(|| {
            view! {
                <section class="notice" aria-labelledby="offer-title" data-testid="offered">
                    <h2 id="offer-title">{t!(i18n, draft.offer_title)}</h2>
                    <p>{t!(i18n, draft.offer_body)}</p>
                    <p class="actions">
                        <button type="button" class="button" on:click=move |_| state.use_offered()>{t!(i18n, draft.use_offered)}</button>
                        " "
                        <button type="button" class="button button--secondary" on:click=move |_| state.discard_offered()>{t!(i18n, draft.discard_offered)}</button>
                    </p>
                </section>
            }
        })
    }
}
